package io.meshd.lb.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshd.lb.Protocol;
import io.meshd.net.IoTransport;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
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
    void shouldCloseBothSidesOnTheClientsFinAfterTheBackendsOwn() throws Exception {
        CountDownLatch backendSawEof = new CountDownLatch(1);
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        Thread backend = new Thread(() -> {
            try (server; Socket c = server.accept()) {
                c.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
                c.shutdownOutput();
                if (c.getInputStream().read() == -1) {
                    backendSawEof.countDown();
                }
            } catch (IOException e) {
                // the latch stays up: the test fails below
            }
        });
        backend.start();
        proxy = tcpProxy((InetSocketAddress) server.getLocalSocketAddress()).start();
        try (Socket s = new Socket(LOOPBACK, proxy.address().getPort())) {
            s.setSoTimeout(5000);
            assertEquals("bye", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII),
                "the backend's data, then its FIN passed on as a half-close");
            s.shutdownOutput();
            assertTrue(backendSawEof.await(5, TimeUnit.SECONDS), "the client's FIN reaches the backend");
        }
        backend.join(5000);
    }

    @Test
    void shouldServeFromOneListenerPerEventLoopSharingThePort() throws Exception {
        assumeTrue(IoTransport.EPOLL.isAvailable(), "SO_REUSEPORT listeners need epoll");
        proxy = tcpProxy(backends.tcp("a", 0)).transport(IoTransport.EPOLL).threads(3).start();
        List<Channel> listeners = proxy.listeners();
        assertEquals(3, listeners.size(), "one listener per event loop");
        assertEquals(3, listeners.stream().map(Channel::eventLoop).distinct().count(), "each on its own loop");
        for (Channel l : listeners) {
            assertEquals(proxy.address().getPort(), ((InetSocketAddress) l.localAddress()).getPort(), "one port");
        }
        for (int i = 0; i < 60; i++) {
            assertEquals("a", ask(proxy.address())[0], "every client is served");
        }
        assertEquals(60, proxy.counters().get(ProxyEvent.BACKEND_CONNECTED));
    }

    @Test
    void shouldKeepServingWhenOneLoopsListenerCloses() throws Exception {
        assumeTrue(IoTransport.EPOLL.isAvailable(), "SO_REUSEPORT listeners need epoll");
        proxy = tcpProxy(backends.tcp("echo", 0)).transport(IoTransport.EPOLL).threads(2).start();
        int port = proxy.address().getPort();
        try (Socket open = new Socket(LOOPBACK, port)) {
            open.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(open.getInputStream(),
                StandardCharsets.US_ASCII));
            assertEquals("echo", in.readLine());
            proxy.listeners().get(0).close().syncUninterruptibly();
            for (int i = 0; i < 40; i++) {
                assertEquals("echo", ask(new InetSocketAddress(LOOPBACK, port))[0],
                    "new clients go to the listener left");
            }
            open.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("still here", in.readLine(), "a connection accepted before the close still relays");
        }
    }

    @Test
    void shouldListenOnIpv6AndReachAnIpv4Backend() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        proxy = L4Proxy.builder().listen(new InetSocketAddress(v6, 0)).threads(2)
            .backend(new ProxyBackend(backends.tcp("a", 0), 1)).start();
        assertEquals(v6, proxy.address().getAddress(), "an IPv6 listener for an IPv6 address");
        for (int i = 0; i < 10; i++) {
            assertEquals("a", ask(proxy.address())[0], "IPv6 clients reach the IPv4 backend");
        }
    }

    @Test
    void shouldServeFromOneListenerOnNio() throws Exception {
        proxy = tcpProxy(backends.tcp("a", 0)).transport(IoTransport.NIO).threads(2).start();
        assertEquals(1, proxy.listeners().size(), "NIO cannot share a port: one listener for both loops");
        for (int i = 0; i < 20; i++) {
            assertEquals("a", ask(proxy.address())[0], "every client is served");
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
