package io.meshd.lb.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.lb.Protocol;
import io.meshd.net.IoTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class L4ProxyTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final TestBackends backends = new TestBackends();
    private L4Proxy proxy;

    @AfterEach
    void tearDown() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        backends.close();
    }

    private L4Proxy.Builder tcpProxy(InetSocketAddress... to) {
        L4Proxy.Builder b = L4Proxy.builder().listen(new InetSocketAddress(LOOPBACK, 0)).threads(2)
            .connectTimeout(Duration.ofSeconds(2)).retryInterval(Duration.ofMillis(100));
        for (InetSocketAddress a : to) {
            b.backend(new ProxyBackend(a, 1));
        }
        return b;
    }

    /** Connects, returns the name of the backend that answered and the client's own address. */
    private String[] ask(InetSocketAddress at) throws IOException {
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(
                new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            return new String[] {in.readLine(), String.valueOf(s.getLocalPort())};
        }
    }

    private static void await(BooleanSupplier condition, Duration bound, String what) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void shouldSendEachClientToTheBackendMaglevPicksForItsAddressAndPort() throws Exception {
        Map<String, InetSocketAddress> named = new HashMap<>();
        for (String n : new String[] {"a", "b", "c"}) {
            named.put(n, backends.tcp(n, 0));
        }
        proxy = tcpProxy(named.values().toArray(new InetSocketAddress[0])).start();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            String[] answer = ask(proxy.address());
            InetSocketAddress client = new InetSocketAddress(LOOPBACK, Integer.parseInt(answer[1]));
            ProxyBackend expected = proxy.backends().pick(client, 6).orElseThrow();
            assertEquals(named.get(answer[0]), expected.address(), "client port " + answer[1]);
            seen.merge(answer[0], 1, Integer::sum);
        }
        assertEquals(3, seen.size(), "60 clients reach all three backends: " + seen);
    }

    @Test
    void shouldRunManyProxiesOnLentEventLoopsAndLeaveThemRunningWhenOneCloses() throws Exception {
        EventLoopGroup lent = new MultiThreadIoEventLoopGroup(2, IoTransport.AUTO.resolve().ioHandlerFactory());
        try {
            InetSocketAddress a = backends.tcp("a", 0);
            InetSocketAddress b = backends.tcp("b", 0);
            L4Proxy first = tcpProxy(a).group(lent).start();
            proxy = tcpProxy(b).group(lent).start();
            assertEquals("a", ask(first.address())[0]);
            assertEquals("b", ask(proxy.address())[0]);
            first.close();
            assertFalse(lent.isShuttingDown(), "closing a proxy leaves the lender's loops running");
            assertEquals("b", ask(proxy.address())[0], "the other proxy still serves on them");
        } finally {
            if (proxy != null) {
                proxy.close();
                proxy = null;
            }
            lent.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void shouldRelayBothWaysAndPassAHalfClose() throws Exception {
        proxy = tcpProxy(backends.tcp("echo", 0)).start();
        byte[] request = new byte[200_000];
        for (int i = 0; i < request.length; i++) {
            request[i] = (byte) i;
        }
        try (Socket s = new Socket(LOOPBACK, proxy.address().getPort())) {
            s.setSoTimeout(10_000);
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(request);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            byte[] all = s.getInputStream().readAllBytes();
            writer.join();
            byte[] echoed = new byte[all.length - 5];
            System.arraycopy(all, 5, echoed, 0, echoed.length);
            assertEquals("echo\n", new String(all, 0, 5, StandardCharsets.US_ASCII));
            assertArrayEquals(request, echoed, "every byte back, then EOF after the client's half-close");
        }
    }

    @Test
    void shouldMarkARefusingBackendDownServeFromTheOthersAndRetryIt() throws Exception {
        int closed = TestBackends.closedPort();
        InetSocketAddress gone = new InetSocketAddress(LOOPBACK, closed);
        proxy = tcpProxy(backends.tcp("up", 0), gone).start();
        for (int i = 0; i < 20; i++) {
            assertEquals("up", ask(proxy.address())[0], "every client is served");
        }
        assertTrue(proxy.counters().get(ProxyEvent.BACKEND_FAILED) >= 1, "the refusal was counted");
        assertEquals(1, proxy.backends().downBackends().size());

        backends.tcp("back", closed);
        // The prober marks the backend up, then counts the recovery: wait for both.
        await(() -> proxy.backends().downBackends().isEmpty()
            && proxy.counters().get(ProxyEvent.BACKEND_RECOVERED) > 0, Duration.ofSeconds(10),
            "the retry (every 100 ms) finds the backend listening again");
        assertEquals(1, proxy.counters().get(ProxyEvent.BACKEND_RECOVERED), "one recovery counted once");
    }

    @Test
    void shouldFollowReplacedBackendsWhileRunningStartingFromNone() throws Exception {
        proxy = tcpProxy().allowNoBackends(true).start();
        try (Socket s = new Socket(LOOPBACK, proxy.address().getPort())) {
            s.setSoTimeout(5000);
            assertEquals(-1, s.getInputStream().read(), "no backend yet: closed without data");
        }
        assertEquals(1, proxy.counters().get(ProxyEvent.NO_BACKEND));
        InetSocketAddress a = backends.tcp("a", 0);
        InetSocketAddress b = backends.tcp("b", 0);
        assertTrue(proxy.backends().replace(List.of(new ProxyBackend(a, 1), new ProxyBackend(b, 1))));
        assertFalse(proxy.backends().replace(List.of(new ProxyBackend(b, 1), new ProxyBackend(a, 1))),
            "the same set in another order is no change");
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            seen.merge(ask(proxy.address())[0], 1, Integer::sum);
        }
        assertEquals(Set.of("a", "b"), seen.keySet(), "40 clients reach both new backends: " + seen);
        proxy.backends().replace(List.of(new ProxyBackend(b, 1)));
        for (int i = 0; i < 20; i++) {
            assertEquals("b", ask(proxy.address())[0], "a removed backend gets no new client");
        }
    }

    @Test
    void shouldKeepAKeptBackendsHealthAcrossAReplacement() throws Exception {
        InetSocketAddress gone = new InetSocketAddress(LOOPBACK, TestBackends.closedPort());
        InetSocketAddress up = backends.tcp("up", 0);
        BackendPool pool = new BackendPool(List.of(new ProxyBackend(gone, 1), new ProxyBackend(up, 1)), 251);
        assertTrue(pool.mark(new ProxyBackend(gone, 1), false));
        InetSocketAddress other = backends.tcp("other", 0);
        pool.replace(List.of(new ProxyBackend(gone, 1), new ProxyBackend(up, 1), new ProxyBackend(other, 1)));
        assertEquals(List.of(new ProxyBackend(gone, 1)), pool.downBackends(), "still down after the replacement");
        for (int port = 1000; port < 1200; port++) {
            ProxyBackend picked = pool.pick(new InetSocketAddress(LOOPBACK, port), 6).orElseThrow();
            assertNotEquals(gone, picked.address(), "a down backend is never picked");
        }
        pool.replace(List.of(new ProxyBackend(up, 1)));
        assertTrue(pool.downBackends().isEmpty(), "a removed backend's health goes with it");
        assertFalse(pool.mark(new ProxyBackend(gone, 1), true), "marking a removed backend changes nothing");
        pool.replace(List.of());
        assertTrue(pool.pick(new InetSocketAddress(LOOPBACK, 1000), 6).isEmpty(), "no backend: no pick");
        assertThrows(IllegalArgumentException.class,
            () -> pool.replace(List.of(new ProxyBackend(up, 1), new ProxyBackend(up, 2))));
    }

    @Test
    void shouldCloseTheClientWhenNoBackendAnswers() throws Exception {
        proxy = tcpProxy(new InetSocketAddress(LOOPBACK, TestBackends.closedPort())).start();
        try (Socket s = new Socket(LOOPBACK, proxy.address().getPort())) {
            s.setSoTimeout(5000);
            assertEquals(-1, s.getInputStream().read(), "closed without data");
        }
        assertEquals(1, proxy.counters().get(ProxyEvent.NO_BACKEND));
    }

    @Test
    void shouldTellTheBackendTheClientsAddressWithProxyProtocolV2() throws Exception {
        proxy = tcpProxy(backends.tcp("pp", 0)).proxyProtocol(true).start();
        String[] answer = ask(proxy.address());
        byte[] header = backends.firstBytes.poll(5, TimeUnit.SECONDS);

        byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        ByteBuffer b = ByteBuffer.wrap(header);
        byte[] sig = new byte[12];
        b.get(sig);
        assertArrayEquals(signature, sig);
        assertEquals(0x21, b.get() & 0xFF, "version 2, PROXY");
        assertEquals(0x11, b.get() & 0xFF, "TCP over IPv4");
        assertEquals(12, b.getShort());
        assertEquals(LOOPBACK, InetAddress.getByAddress(new byte[] {b.get(), b.get(), b.get(), b.get()}));
        b.getInt();
        assertEquals(Integer.parseInt(answer[1]), b.getShort() & 0xFFFF, "the client's own port");
        assertEquals(proxy.address().getPort(), b.getShort() & 0xFFFF, "the proxy's port it connected to");
    }

    @Test
    void shouldRelayUdpThroughOneSessionPerClientAndEndItWhenIdle() throws Exception {
        Map<String, InetSocketAddress> named = Map.of("u1", backends.udp("u1"), "u2", backends.udp("u2"));
        proxy = L4Proxy.builder().listen(new InetSocketAddress(LOOPBACK, 0)).protocol(Protocol.UDP).threads(1)
            .backend(new ProxyBackend(named.get("u1"), 1)).backend(new ProxyBackend(named.get("u2"), 1))
            .udpIdleTimeout(Duration.ofMillis(300)).start();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout(5000);
            String first = exchange(client, "one");
            String second = exchange(client, "two");
            ProxyBackend picked = proxy.backends().pick((InetSocketAddress) client.getLocalSocketAddress(), 17)
                .orElseThrow();
            assertEquals(picked.address(), named.get(first.split(":")[0]), "Maglev's backend for this client");
            assertEquals(first.split(":")[0], second.split(":")[0], "one session, one backend");
            assertEquals("two", second.split(":")[1]);
        }
        assertEquals(2, proxy.counters().get(ProxyEvent.UDP_FORWARDED));
        assertEquals(2, proxy.counters().get(ProxyEvent.UDP_RETURNED));
        await(() -> proxy.counters().get(ProxyEvent.UDP_SESSION_EXPIRED) == 1, Duration.ofSeconds(10),
            "the session ends after 300 ms idle");
    }

    private String exchange(DatagramSocket client, String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        client.send(new DatagramPacket(data, data.length, proxy.address()));
        DatagramPacket reply = new DatagramPacket(new byte[512], 512);
        client.receive(reply);
        assertEquals(proxy.address(), reply.getSocketAddress(), "the reply comes from the proxy's address");
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
    }
}
