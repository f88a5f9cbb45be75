package io.meshd.vxlan.vtep;

import io.meshd.net.IoTransport;

/** The VTEP suite on the EPOLL transport. */
class EpollVtepTest extends VtepTransportTestBase {

    @Override
    protected IoTransport transport() {
        return IoTransport.EPOLL;
    }
}
