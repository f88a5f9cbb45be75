package io.meshd.vxlan.vtep;

/** The VTEP suite on the NIO transport. */
class NioVtepTest extends VtepTransportTestBase {

    @Override
    protected Transport transport() {
        return Transport.NIO;
    }
}
