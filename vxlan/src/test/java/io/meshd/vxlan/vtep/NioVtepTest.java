package io.meshd.vxlan.vtep;

import io.meshd.transport.Transport;

/** The VTEP suite on the NIO transport. */
class NioVtepTest extends VtepTransportTestBase {

    @Override
    protected Transport transport() {
        return Transport.NIO;
    }
}
