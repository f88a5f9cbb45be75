package io.meshd.dns;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/** {@link DnsServerTest} over epoll (SO_REUSEPORT, one UDP socket per event loop). */
class EpollDnsServerTest extends DnsServerTest {

    @BeforeEach
    void requireEpoll() {
        Assumptions.assumeTrue(Transport.EPOLL.isAvailable(), "epoll is not available here");
    }

    @Override
    Transport transport() {
        return Transport.EPOLL;
    }
}
