package io.meshd.vxlan.vtep;

import io.meshd.net.IoTransport;

/** The VTEP suite on the NIO transport. */
class NioVtepTest extends VtepTransportTestBase {

    @Override
    protected IoTransport transport() {
        return IoTransport.NIO;
    }
}
