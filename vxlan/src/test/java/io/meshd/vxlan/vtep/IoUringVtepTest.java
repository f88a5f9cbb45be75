package io.meshd.vxlan.vtep;

import io.meshd.net.IoTransport;

/** The VTEP suite on the IO_URING transport. */
class IoUringVtepTest extends VtepTransportTestBase {

    @Override
    protected IoTransport transport() {
        return IoTransport.IO_URING;
    }

    /**
     * Netty's io_uring datagram channel ends its read after each completed {@code recvmsg} here, whatever the
     * allocator allows: one datagram per burst, so nothing is coalesced on this transport (docs/vtep.md).
     */
    @Override
    protected int datagramsPerBurst() {
        return 1;
    }
}
