package io.meshd.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.netty.NettyGossip;
import io.meshd.gossip.security.Keyring;
import io.meshd.net.metrics.MetricRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {

    private static final int REQUESTS = 200;

    @TempDir
    Path dir;

    private final Keyring ring = Keyring.of(key(1));
    private GossipNode node;
    private ControlServer server;
    private Path socket;

    private static byte[] key(int b) {
        byte[] k = new byte[16];
        Arrays.fill(k, (byte) b);
        return k;
    }

    private static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }

    @BeforeEach
    void start() throws IOException {
        node = NettyGossip.start(GossipConfig.local().name("solo").keyring(ring).build(),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty());
        socket = dir.resolve("sub/meshd.sock");
        MetricRegistry registry = new MetricRegistry();
        registry.register(node.metrics());
        server = ControlServer.start(node, Optional.of(ring), socket, registry);
        registry.register(server.metrics());
    }

    @AfterEach
    void stop() {
        server.close();
        node.shutdown();
    }

    private List<String> ask(String line) throws IOException {
        return ControlClient.request(socket, line);
    }

    @Test
    void shouldAnswerMembersAndTableRequests() throws IOException {
        List<String> members = ask("members");
        assertEquals(1, members.size());
        assertTrue(members.get(0).startsWith("solo\t127.0.0.1:") && members.get(0).endsWith("\tALIVE\t0"));
        assertEquals(List.of(), ask("put services web 10.0.0.1:80 weight=2"));
        assertEquals(List.of("10.0.0.1:80 weight=2"), ask("get services web"));
        assertEquals(List.of("web\t10.0.0.1:80 weight=2"), ask("entries services"));
        ask("delete services web");
        IOException missing = assertThrows(IOException.class, () -> ask("get services web"));
        assertEquals("no such key", missing.getMessage());
    }

    private static final String UNENCRYPTED_ONCE = "meshd_gossip_drops_total{reason=\"unencrypted\"}\t1";

    @Test
    void shouldReportDropCountersOfBadInput() throws Exception {
        InetSocketAddress gossip = node.member("solo").orElseThrow().address();
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] plain = {0, 0, 1, 1, 0, 1, 3};
            udp.send(new DatagramPacket(plain, plain.length, gossip));
        }
        long end = System.nanoTime() + 5_000_000_000L;
        while (!ask("counters").contains(UNENCRYPTED_ONCE) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertTrue(ask("counters").contains(UNENCRYPTED_ONCE), ask("counters").toString());
    }

    @Test
    void shouldAnswerStatsWithTypedRowsAndCountItsOwnOutcomes() throws IOException {
        assertThrows(IOException.class, () -> ask("launch rockets"));
        List<String> stats = ask("stats");
        assertTrue(stats.contains("meshd_gossip_members\tgauge\tstate=alive\t1"), stats.toString());
        assertTrue(stats.contains("meshd_gossip_health_score\tgauge\t-\t0"), stats.toString());
        assertTrue(stats.contains("meshd_control_requests_total\tcounter\toutcome=error\t1"), stats.toString());
        assertTrue(stats.stream().allMatch(l -> l.split("\t").length == 4), stats.toString());
        assertTrue(ask("stats").contains("meshd_control_requests_total\tcounter\toutcome=ok\t1"),
            "the first stats request counted as answered");
    }

    @Test
    void shouldFormatIntegralValuesWithoutAFraction() {
        assertEquals("42", ControlRequests.number(42.0));
        assertEquals("0.25", ControlRequests.number(0.25));
        assertEquals("-3", ControlRequests.number(-3));
    }

    @Test
    void shouldRejectUnknownAndIncompleteRequests() {
        assertTrue(assertThrows(IOException.class, () -> ask("launch rockets")).getMessage()
            .startsWith("unknown request 'launch'"));
        assertEquals("missing arguments", assertThrows(IOException.class, () -> ask("put t")).getMessage());
    }

    @Test
    void shouldRotateKeysThroughTheSocket() throws IOException {
        assertEquals(List.of(b64(key(1))), ask("keys"));
        ask("keys install " + b64(key(2)));
        ask("keys use " + b64(key(2)));
        assertEquals(List.of(b64(key(2)), b64(key(1))), ask("keys"));
        ask("keys remove " + b64(key(1)));
        assertEquals(List.of(b64(key(2))), ask("keys"));
        assertTrue(assertThrows(IOException.class, () -> ask("keys remove " + b64(key(2)))).getMessage()
            .contains("primary"));
        assertTrue(assertThrows(IOException.class, () -> ask("keys use !!")).getMessage().contains("base64"));
    }

    @Test
    void shouldRefuseControlCharactersEmptyWordsAndOverlongLinesWithAnErrorLine() throws IOException {
        assertTrue(assertThrows(IOException.class, () -> ask("put t k a\rb")).getMessage()
            .startsWith("request holds control character 13"));
        assertTrue(assertThrows(IOException.class, () -> ask("put  t k v")).getMessage().startsWith("empty table"));
        String overlong = "put t k " + "a".repeat(ControlServer.MAX_LINE);
        assertEquals("request line longer than " + ControlServer.MAX_LINE + " bytes",
            assertThrows(IOException.class, () -> ask(overlong)).getMessage());
        assertEquals(List.of(), ask("put t k " + "a".repeat(1000)), "a long line under the limit is served");
    }

    @Test
    void shouldServeOthersWhileAClientThatSendsNothingWaitsOutItsDeadline() throws Exception {
        try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.connect(UnixDomainSocketAddress.of(socket));
            long start = System.nanoTime();
            assertEquals("solo", ask("members").get(0).split("\t")[0]);
            long waited = System.nanoTime() - start;
            assertTrue(waited < ControlServer.DEADLINE.toNanos() * 3, "answered after " + waited / 1_000_000 + " ms");
            assertEquals(-1, silent.read(ByteBuffer.allocate(16)), "the silent connection was closed");
        }
    }

    @Test
    void shouldHoldNoDescriptorPerConnectionWhateverTheRequest() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        ask("members");
        long before = openDescriptors();
        for (int i = 0; i < REQUESTS; i++) {
            byte[] request = new byte[random.nextInt(200)];
            random.nextBytes(request);
            try {
                ControlClient.request(socket, new String(request, StandardCharsets.ISO_8859_1));
            } catch (IOException refused) {
                // An error answer is one of the two allowed outcomes; the descriptors are what is checked.
            }
        }
        assertEquals("solo", ask("members").get(0).split("\t")[0], "still serving (seed " + seed + ")");
        // A descriptor kept per connection would add REQUESTS; the JVM's own threads may open or close one meanwhile.
        long added = openDescriptors() - before;
        assertTrue(added < 10, added + " descriptors more after " + REQUESTS + " requests (seed " + seed + ")");
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void shouldRemoveTheSocketFileOnClose() {
        server.close();
        assertTrue(Files.notExists(socket));
    }
}
