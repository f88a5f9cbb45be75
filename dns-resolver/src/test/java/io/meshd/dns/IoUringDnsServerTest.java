package io.meshd.dns;

import io.meshd.harness.LabRequirement;
import io.meshd.net.IoTransport;
import org.junit.jupiter.api.BeforeEach;

/** {@link DnsServerTest} over io_uring (SO_REUSEPORT, one UDP socket per event loop, one datagram per read). */
class IoUringDnsServerTest extends DnsServerTest {

    @BeforeEach
    void requireIoUring() {
        LabRequirement.require(IoTransport.IO_URING.isAvailable(), "io_uring is not available here");
    }

    @Override
    IoTransport transport() {
        return IoTransport.IO_URING;
    }
}
