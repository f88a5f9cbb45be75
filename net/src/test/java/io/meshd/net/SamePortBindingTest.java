package io.meshd.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The UDP-then-TCP binding rule, with scripted steps: which ports are tried, what is closed again, what is thrown.
 * The TCP step fails the way Netty's {@code sync()} does, with a checked exception.
 */
class SamePortBindingTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<Integer> udpPorts = new ArrayList<>();
    private final List<Integer> closed = new ArrayList<>();
    private int nextEphemeral = 40000;

    /** A UDP step that gets the requested port, or the next "ephemeral" one for port 0. */
    private Integer bindUdp(InetSocketAddress at) {
        int port = at.getPort() == 0 ? nextEphemeral++ : at.getPort();
        udpPorts.add(port);
        return port;
    }

    private static SamePortBinding.Step<String> tcpTakenOn(int... taken) {
        return at -> {
            for (int port : taken) {
                if (port == at.getPort()) {
                    throw new IOException("bind(..) failed: Address already in use");
                }
            }
            return "tcp:" + at.getPort();
        };
    }

    private SamePortBinding.Bound<Integer, String> bind(int port, SamePortBinding.Step<String> tcp)
        throws InterruptedException {
        return SamePortBinding.bind(new InetSocketAddress(LOOPBACK, port), this::bindUdp,
            p -> new InetSocketAddress(LOOPBACK, p), tcp, closed::add);
    }

    @Test
    void shouldTryAFreshEphemeralPortWhenTheFirstIsTakenOnTcp() throws Exception {
        SamePortBinding.Bound<Integer, String> bound = bind(0, tcpTakenOn(40000, 40001));

        assertEquals(List.of(40000, 40001, 40002), udpPorts);
        assertEquals(List.of(40000, 40001), closed, "each UDP side whose port was taken on TCP is closed again");
        assertEquals("tcp:40002", bound.tcp());
        assertEquals(40002, bound.udp());
        assertEquals(40002, bound.address().getPort());
    }

    @Test
    void shouldFailAtOnceWhenAFixedPortIsTakenOnTcp() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> bind(5353, tcpTakenOn(5353)));

        assertEquals("bind(..) failed: Address already in use", e.getCause().getMessage());
        assertEquals(List.of(5353), udpPorts, "no second try");
        assertEquals(List.of(5353), closed);
    }

    @Test
    void shouldGiveUpAfterItsAttempts() {
        int[] all = new int[SamePortBinding.ATTEMPTS];
        for (int i = 0; i < all.length; i++) {
            all[i] = 40000 + i;
        }
        assertThrows(UncheckedIOException.class, () -> bind(0, tcpTakenOn(all)));
        assertEquals(SamePortBinding.ATTEMPTS, udpPorts.size());
        assertEquals(udpPorts, closed, "nothing left open");
    }
}
