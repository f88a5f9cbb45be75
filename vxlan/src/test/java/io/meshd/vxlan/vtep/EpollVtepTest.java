package io.meshd.vxlan.vtep;

import io.meshd.transport.Transport;

/** The VTEP suite on the EPOLL transport. */
class EpollVtepTest extends VtepTransportTestBase {

    @Override
    protected Transport transport() {
        return Transport.EPOLL;
    }
}
