package io.meshd.dns;

import io.meshd.harness.LabRequirement;
import io.meshd.net.IoTransport;
import org.junit.jupiter.api.BeforeEach;

/** {@link DnsServerTest} over epoll (SO_REUSEPORT, one UDP socket per event loop). */
class EpollDnsServerTest extends DnsServerTest {

    @BeforeEach
    void requireEpoll() {
        LabRequirement.require(IoTransport.EPOLL.isAvailable(), "epoll is not available here");
    }

    @Override
    IoTransport transport() {
        return IoTransport.EPOLL;
    }
}
