package io.meshd.dns;

import io.meshd.harness.LabRequirement;
import io.meshd.transport.Transport;
import org.junit.jupiter.api.BeforeEach;

/** {@link DnsServerTest} over io_uring (SO_REUSEPORT, one UDP socket per event loop, one datagram per read). */
class IoUringDnsServerTest extends DnsServerTest {

    @BeforeEach
    void requireIoUring() {
        LabRequirement.require(Transport.IO_URING.isAvailable(), "io_uring is not available here");
    }

    @Override
    Transport transport() {
        return Transport.IO_URING;
    }
}
