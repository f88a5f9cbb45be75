package io.meshd.vxlan.vtep;

import io.meshd.transport.Transport;

/** The VTEP suite on the IO_URING transport. */
class IoUringVtepTest extends VtepTransportTestBase {

    @Override
    protected Transport transport() {
        return Transport.IO_URING;
    }
}
