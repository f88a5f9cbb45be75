package io.meshd.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.LabRequirement;
import io.netty.channel.Channel;
import io.netty.channel.socket.SocketProtocolFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IoTransportTest {

    @Test
    void shouldParseCliNamesCaseInsensitivelyAndAcceptADashForTheUnderscore() {
        assertEquals(IoTransport.AUTO, IoTransport.parse("auto"));
        assertEquals(IoTransport.IO_URING, IoTransport.parse("io_uring"));
        assertEquals(IoTransport.IO_URING, IoTransport.parse(" IO-URING "));
        assertEquals(IoTransport.EPOLL, IoTransport.parse("Epoll"));
        assertEquals(IoTransport.NIO, IoTransport.parse("nio"));
    }

    @Test
    void shouldRejectAnUnknownNameListingTheAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IoTransport.parse("dpdk"));
        assertEquals("unknown transport 'dpdk' (expected one of auto, io_uring, epoll, nio)", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void shouldRoundTripEveryCliName(IoTransport t) {
        assertEquals(t, IoTransport.parse(t.cliName()));
        assertEquals(t.cliName(), t.toString());
        assertTrue(IoTransport.CLI_NAMES.contains(t.cliName()));
    }

    @Test
    void shouldResolveAutoToTheFirstAvailableOfEpollIoUringNio() {
        IoTransport expected = IoTransport.EPOLL.isAvailable() ? IoTransport.EPOLL
            : IoTransport.IO_URING.isAvailable() ? IoTransport.IO_URING : IoTransport.NIO;
        assertEquals(expected, IoTransport.AUTO.resolve());
        assertNotEquals(IoTransport.AUTO, IoTransport.AUTO.resolve());
    }

    @ParameterizedTest
    @EnumSource(value = IoTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldResolveAConcreteTransportToItselfOrFailWithTheCause(IoTransport t) {
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
        assertTrue(IoTransport.AUTO.isAvailable());
        assertTrue(IoTransport.NIO.isAvailable());
        assertTrue(IoTransport.NIO.unavailabilityCause().isEmpty());
    }

    @Test
    void shouldRefuseToOpenChannelsForAnUnresolvedAuto() {
        assertThrows(IllegalStateException.class, IoTransport.AUTO::ioHandlerFactory);
        assertThrows(IllegalStateException.class, IoTransport.AUTO::newDatagramChannel);
        assertThrows(IllegalStateException.class, IoTransport.AUTO::newSocketChannel);
        assertThrows(IllegalStateException.class, IoTransport.AUTO::newServerChannel);
        assertThrows(IllegalStateException.class, IoTransport.AUTO::reusesPort);
    }

    @ParameterizedTest
    @EnumSource(value = IoTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldOpenChannelsOfTheChosenKind(IoTransport t) {
        // Outside CI a machine without io_uring or epoll skips that case; with CI=true the case fails instead.
        LabRequirement.require(t.isAvailable(),
            t + " is not available here: " + t.unavailabilityCause().map(Throwable::toString).orElse("?"));
        String prefix = t == IoTransport.IO_URING ? "IoUring" : t == IoTransport.EPOLL ? "Epoll" : "Nio";
        for (Channel ch : new Channel[] {t.newDatagramChannel(), t.newSocketChannel(), t.newServerChannel(),
            t.newSocketChannel(SocketProtocolFamily.INET), t.newServerChannel(SocketProtocolFamily.INET),
            t.newSocketChannel(SocketProtocolFamily.INET6), t.newServerChannel(SocketProtocolFamily.INET6)}) {
            try {
                assertTrue(ch.getClass().getSimpleName().startsWith(prefix), ch.getClass().getName());
                assertTrue(ch.isOpen());
            } finally {
                ch.unsafe().closeForcibly();
            }
        }
        assertEquals(t != IoTransport.NIO, t.reusesPort());
    }
}
