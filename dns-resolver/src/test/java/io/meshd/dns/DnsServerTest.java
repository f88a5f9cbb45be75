package io.meshd.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.records.InMemoryRecordSource;
import io.meshd.dns.records.MeshEndpoint;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.MeshService;
import io.meshd.dns.records.ServiceMode;
import io.meshd.net.IoTransport;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server on loopback, over NIO; {@link EpollDnsServerTest} and {@link IoUringDnsServerTest} run the same tests
 * over the native transports. */
class DnsServerTest {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    IoTransport transport() {
        return IoTransport.NIO;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private DnsServer.Builder server() {
        return DnsServer.builder().transport(transport()).threads(2)
            .listen(new InetSocketAddress("127.0.0.1", 0));
    }

    private DnsServer start(DnsServer.Builder b) throws InterruptedException {
        DnsServer s = b.start();
        closeables.add(s);
        return s;
    }

    private InetSocketAddress mesh(DnsServer.Builder b) throws InterruptedException {
        return start(b.records(Fixtures.source()).networks(Set.of("front")).domain("mesh")).addresses().get(0);
    }

    /** An upstream: a second responder that knows far.example, nope.example (NXDOMAIN) and big (100 tasks). */
    private InetSocketAddress upstream() throws InterruptedException {
        List<MeshEndpoint> endpoints = new ArrayList<>();
        endpoints.add(new MeshEndpoint("far", List.of(), List.of(Fixtures.ip("192.0.2.7")), List.of(), 60));
        for (int i = 1; i <= 100; i++) {
            endpoints.add(new MeshEndpoint("b" + i, List.of(), List.of(Fixtures.ip("198.51.100." + i)),
                List.of("big"), 60));
        }
        MeshNetwork net = new MeshNetwork("example", endpoints,
            List.of(new MeshService("big", ServiceMode.DNSRR, List.of(), List.of(), 60)));
        InMemoryRecordSource source = InMemoryRecordSource.builder().networks(List.of(net)).build();
        return start(server().records(source).networks(Set.of("example")).domain("test")).addresses().get(0);
    }

    @Test
    void shouldFailWithAnUncheckedErrorWhenTheTcpPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            // Netty reports the failed bind as a checked NativeIoException; the server must turn it into an
            // unchecked error it can clean up after, not let it escape undeclared.
            UncheckedIOException error = assertThrows(UncheckedIOException.class,
                () -> DnsServer.builder().transport(transport()).threads(1).listen(address).start());
            assertTrue(error.getCause().getMessage().contains("in use"), error.getCause().getMessage());
        }
    }

    @Test
    void shouldAnswerOverUdpAndTcpOnTheSamePort() throws Exception {
        InetSocketAddress addr = mesh(server());
        byte[] udp = Client.udp(addr, Wire.query("web", 1).bytes());
        assertEquals(0, Client.rcode(udp));
        assertEquals(1, Client.answers(udp));
        byte[][] tcp = Client.tcp(addr, Wire.query("web", 1).id(7).bytes(), Wire.query("tasks.web", 1).id(8).bytes(),
            Wire.query("nope.mesh", 1).id(9).bytes());
        assertEquals(List.of(7, 8, 9), List.of(Client.id(tcp[0]), Client.id(tcp[1]), Client.id(tcp[2])));
        assertEquals(2, Client.answers(tcp[1]));
        assertEquals(3, Client.rcode(tcp[2]));
    }

    @Test
    void shouldKeepListeningAfterGarbage() throws Exception {
        DnsServer s = start(server().records(Fixtures.source()).networks(Set.of("front")));
        InetSocketAddress addr = s.addresses().get(0);
        assertFalse(Client.udp(addr, new byte[] {1, 2, 3}, 300).isPresent());
        byte[] response = Wire.query("web", 1).flags(0x8000).bytes();
        assertFalse(Client.udp(addr, response, 300).isPresent());
        assertEquals(1, Client.rcode(Client.udp(addr, Wire.query("web", 1).qdcount(2).bytes())));
        assertEquals(0, Client.rcode(Client.udp(addr, Wire.query("web", 1).bytes())));
        assertEquals(1, s.counters().drops(DnsCounters.Drop.TOO_SHORT));
        assertEquals(1, s.counters().drops(DnsCounters.Drop.NOT_A_QUERY));
        assertTrue(s.counters().latency().count() >= 2);
    }

    @Test
    void shouldTruncateOverUdpAndServeAllOverTcp() throws Exception {
        InetSocketAddress addr = mesh(server());
        byte[] udp = Client.udp(addr, Wire.query("rr", 1).edns(1232).bytes());
        assertTrue(Client.truncated(udp));
        byte[] tcp = Client.tcp(addr, Wire.query("rr", 1).edns(1232).bytes())[0];
        assertFalse(Client.truncated(tcp));
        assertEquals(100, Client.answers(tcp));
    }

    @Test
    void shouldCloseTcpConnectionsPastTheCapAndWhenIdle() throws Exception {
        DnsServer s = start(server().records(Fixtures.source()).networks(Set.of("front")).maxTcpConnections(1)
            .tcpIdleTimeout(Duration.ofMillis(300)));
        InetSocketAddress addr = s.addresses().get(0);
        try (java.net.Socket first = new java.net.Socket()) {
            first.connect(addr);
            Thread.sleep(100);
            try (java.net.Socket second = new java.net.Socket()) {
                second.connect(addr);
                second.setSoTimeout(2000);
                assertEquals(-1, second.getInputStream().read());
            }
            first.setSoTimeout(3000);
            assertEquals(-1, first.getInputStream().read());
        }
        assertEquals(1, s.counters().drops(DnsCounters.Drop.TCP_CONNECTION_CAP));
        assertEquals(1, s.counters().drops(DnsCounters.Drop.TCP_IDLE));
    }

    @Test
    void shouldRelayUpstreamBytesWithOnlyTheIdRewritten() throws Exception {
        InetSocketAddress up = upstream();
        InetSocketAddress addr = mesh(server().upstream(up));
        byte[] query = Wire.query("Far.Example", 1).id(0x4242).edns(1232).bytes();
        byte[] direct = Client.udp(up, query);
        byte[] relayed = Client.udp(addr, query);
        assertEquals(0x4242, Client.id(relayed));
        assertArrayEquals(direct, relayed);
        assertEquals(1, Client.answers(relayed));
    }

    @Test
    void shouldPassNxdomainThrough() throws Exception {
        InetSocketAddress addr = mesh(server().upstream(upstream()));
        assertEquals(3, Client.rcode(Client.udp(addr, Wire.query("nope.test", 1).bytes())));
    }

    @Test
    void shouldTryTheNextServerAfterServfailOrTimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress servfail = start(server()).addresses().get(0);
            DnsServer s = start(server().records(Fixtures.source()).networks(Set.of("front"))
                .upstream((InetSocketAddress) silent.getLocalSocketAddress()).upstream(servfail).upstream(upstream())
                .forwardTimeout(Duration.ofMillis(2000)));
            byte[] answer = Client.udp(s.addresses().get(0), Wire.query("far.example", 1).bytes());
            assertEquals(0, Client.rcode(answer), s.counters().snapshot().toString());
            assertEquals(1, Client.answers(answer));
            assertEquals(1, s.counters().forwards(DnsCounters.Forward.TIMEOUT));
            assertEquals(1, s.counters().forwards(DnsCounters.Forward.UPSTREAM_FAILED));
            assertEquals(1, s.counters().forwards(DnsCounters.Forward.RELAYED));
        }
    }

    @Test
    void shouldMoveOnFromServfailQueryAfterQuery() throws Exception {
        InetSocketAddress servfail = start(server()).addresses().get(0);
        DnsServer s = start(server().upstream(servfail).upstream(upstream()).forwardTimeout(Duration.ofSeconds(2)));
        for (int i = 0; i < 20; i++) {
            byte[] answer = Client.udp(s.addresses().get(0), Wire.query("far.example", 1).id(i).bytes());
            assertEquals(0, Client.rcode(answer), s.counters().snapshot().toString());
        }
        assertEquals(20, s.counters().forwards(DnsCounters.Forward.RELAYED));
        assertEquals(0, s.counters().forwards(DnsCounters.Forward.TIMEOUT));
    }

    @Test
    void shouldCloseEveryForwardingSocket() throws Exception {
        InetSocketAddress servfail = start(server()).addresses().get(0);
        DnsServer s = start(server().upstream(servfail).upstream(upstream()).forwardTimeout(Duration.ofSeconds(2)));
        Client.udp(s.addresses().get(0), Wire.query("far.example", 1).bytes());
        long before = openDescriptors();
        for (int i = 0; i < 50; i++) {
            Client.udp(s.addresses().get(0), Wire.query("far.example", 1).id(i).bytes());
        }
        long after = openDescriptors();
        for (int i = 0; i < 50 && after > before + 5; i++) {
            Thread.sleep(20);
            after = openDescriptors();
        }
        // 100 sockets were opened (one per upstream per query): a leak would show as dozens of descriptors.
        assertTrue(after <= before + 5, "descriptors before " + before + ", after " + after);
    }

    private static long openDescriptors() throws java.io.IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void shouldAnswerServfailWhenEveryUpstreamFails() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            DnsServer s = start(server().upstream((InetSocketAddress) silent.getLocalSocketAddress())
                .forwardTimeout(Duration.ofMillis(200)));
            byte[] answer = Client.udp(s.addresses().get(0), Wire.query("far.example", 1).edns(1232).bytes());
            assertEquals(2, Client.rcode(answer));
            assertEquals(1, s.counters().forwards(DnsCounters.Forward.EXHAUSTED));
            assertEquals(0, s.forwardsInFlight());
        }
    }

    @Test
    void shouldRetryTruncatedUpstreamAnswersOverTcp() throws Exception {
        DnsServer s = start(server().records(Fixtures.source()).networks(Set.of("front")).upstream(upstream()));
        InetSocketAddress addr = s.addresses().get(0);
        byte[] viaTcp = Client.tcp(addr, Wire.query("big", 1).bytes())[0];
        assertEquals(100, Client.answers(viaTcp));
        assertFalse(Client.truncated(viaTcp));
        byte[] viaUdp = Client.udp(addr, Wire.query("big", 1).bytes());
        assertTrue(Client.truncated(viaUdp));
        assertEquals(2, s.counters().forwards(DnsCounters.Forward.RETRIED_OVER_TCP));
    }

    @Test
    void shouldAnswerServfailPastTheForwardingCap() throws Exception {
        DnsServer s = start(server().upstream(upstream()).maxForwarded(0));
        assertEquals(2, Client.rcode(Client.udp(s.addresses().get(0), Wire.query("far.example", 1).bytes())));
        assertEquals(1, s.counters().forwards(DnsCounters.Forward.OVER_CAPACITY));
    }

    @Test
    void shouldAnswerServfailWithoutUpstreams() throws Exception {
        InetSocketAddress addr = mesh(server());
        byte[] answer = Client.udp(addr, Wire.query("example.com", 1).bytes());
        assertEquals(2, Client.rcode(answer));
        assertFalse(Arrays.equals(new byte[0], answer));
    }
}
