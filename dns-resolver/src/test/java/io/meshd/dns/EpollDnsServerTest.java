package io.meshd.dns;

import io.meshd.harness.LabRequirement;
import io.meshd.transport.Transport;
import org.junit.jupiter.api.BeforeEach;

/** {@link DnsServerTest} over epoll (SO_REUSEPORT, one UDP socket per event loop). */
class EpollDnsServerTest extends DnsServerTest {

    @BeforeEach
    void requireEpoll() {
        LabRequirement.require(Transport.EPOLL.isAvailable(), "epoll is not available here");
    }

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }
}
