package io.meshd.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransportTest {

    @Test
    void shouldParseCliNamesCaseInsensitivelyAndAcceptADashForTheUnderscore() {
        assertEquals(Transport.AUTO, Transport.parse("auto"));
        assertEquals(Transport.IO_URING, Transport.parse("io_uring"));
        assertEquals(Transport.IO_URING, Transport.parse(" IO-URING "));
        assertEquals(Transport.EPOLL, Transport.parse("Epoll"));
        assertEquals(Transport.NIO, Transport.parse("nio"));
    }

    @Test
    void shouldRejectAnUnknownNameListingTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transport.parse("dpdk"));
        assertEquals("unknown transport 'dpdk' (expected one of auto, io_uring, epoll, nio)", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void shouldRoundTripEveryCliName(Transport t) {
        assertEquals(t, Transport.parse(t.cliName()));
        assertEquals(t.cliName(), t.toString());
        assertTrue(Transport.CLI_NAMES.contains(t.cliName()));
    }

    @Test
    void shouldResolveAutoToTheFirstAvailableOfEpollIoUringNio() {
        Transport expected = Transport.EPOLL.isAvailable() ? Transport.EPOLL
            : Transport.IO_URING.isAvailable() ? Transport.IO_URING : Transport.NIO;
        assertEquals(expected, Transport.AUTO.resolve());
        assertNotEquals(Transport.AUTO, Transport.AUTO.resolve());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldResolveAConcreteTransportToItselfOrFailWithTheCause(Transport t) {
        if (t.isAvailable()) {
            assertEquals(t, t.resolve());
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, t::resolve);
            assertEquals(t.unavailabilityCause().orElseThrow(), e.getCause());
            assertTrue(e.getMessage().startsWith("transport " + t.cliName() + " is not available here"));
        }
    }

    @Test
    void shouldAlwaysOfferAutoAndNio() {
        assertTrue(Transport.AUTO.isAvailable());
        assertTrue(Transport.NIO.isAvailable());
        assertTrue(Transport.NIO.unavailabilityCause().isEmpty());
    }

    @Test
    void shouldRefuseToOpenChannelsForAnUnresolvedAuto() {
        assertThrows(IllegalStateException.class, Transport.AUTO::ioHandlerFactory);
        assertThrows(IllegalStateException.class, Transport.AUTO::newDatagramChannel);
        assertThrows(IllegalStateException.class, Transport.AUTO::newSocketChannel);
        assertThrows(IllegalStateException.class, Transport.AUTO::newServerChannel);
        assertThrows(IllegalStateException.class, Transport.AUTO::reusesPort);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldOpenChannelsOfTheChosenKind(Transport t) {
        assumeTrue(t.isAvailable(), () -> t + " is not available here: " + t.unavailabilityCause().orElseThrow());
        String prefix = t == Transport.IO_URING ? "IoUring" : t == Transport.EPOLL ? "Epoll" : "Nio";
        for (Channel ch : new Channel[] {t.newDatagramChannel(), t.newSocketChannel(), t.newServerChannel()}) {
            try {
                assertTrue(ch.getClass().getSimpleName().startsWith(prefix), ch.getClass().getName());
                assertTrue(ch.isOpen());
            } finally {
                ch.unsafe().closeForcibly();
            }
        }
        assertEquals(t != Transport.NIO, t.reusesPort());
    }
}
