package io.meshd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshd.Mesh;
import io.meshd.cli.api.ApiResponse;
import io.meshd.cli.api.UnixSocketApi;
import io.meshd.gossip.security.Keyring;
import io.meshd.net.metrics.MetricRegistry;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local API against a real mesh node on loopback (no root): every resource's happy path that needs no namespace,
 * and every error status of the contract, each with a JSON body naming the problem.
 */
class ApiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Short, so the idle-client test waits little; generous for a request on a loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static Path dir;
    private static Keyring ring;
    private static Mesh mesh;
    private static ApiServer server;
    private static UnixSocketApi api;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("meshd-api-test");
        ring = Keyring.of(ApiTestMesh.KEY);
        mesh = ApiTestMesh.start("solo", ring);
        MetricRegistry registry = new MetricRegistry();
        registry.register(mesh.parts().gossip().metrics());
        Path socket = dir.resolve("sub/meshd.sock");
        Files.createDirectories(socket.getParent());
        Files.writeString(socket, "stale"); // a leftover file is replaced
        server = ApiServer.builder(socket, ApiRoutes.of(mesh, Optional.of(ring), registry)).timeout(TIMEOUT)
            .start();
        registry.register(server.metrics());
        api = UnixSocketApi.of(socket, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws IOException {
        api.close();
        server.close();
        mesh.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static ApiResponse call(String method, String path, String body) throws IOException {
        return api.call(method, path, body == null ? null : JSON.readTree(body));
    }

    /** Asserts an error answer: the status, and a body {"error": one line containing {@code text}, "status"}. */
    private static void assertError(int status, String text, ApiResponse r) {
        assertEquals(status, r.status(), r.body().toString());
        assertEquals(status, r.body().path("status").asInt(), r.body().toString());
        assertTrue(r.error().contains(text), "'" + r.error() + "' names " + text);
        assertFalse(r.error().contains("\n") || r.error().contains("at io.meshd"), r.error());
    }

    @Test
    void shouldListThisMemberAlive() throws IOException {
        ApiResponse r = call("GET", "/v1/members", null);
        assertEquals(200, r.status());
        JsonNode m = r.body().get(0);
        assertEquals("solo", m.path("name").asText());
        assertTrue(m.path("address").asText().startsWith("127.0.0.1:"), m.toString());
        assertEquals("alive", m.path("state").asText());
        assertTrue(m.path("incarnation").isIntegralNumber(), m.toString());
    }

    @Test
    void shouldCreateInspectAndRemoveANetworkAndAService() throws IOException {
        ApiResponse created = call("POST", "/v1/networks", "{\"name\":\"front\",\"subnet\":\"10.0.9.0/24\",\"vni\":7}");
        assertEquals(201, created.status(), created.body().toString());
        assertEquals(JSON.readTree("{\"name\":\"front\",\"subnet\":\"10.0.9.0/24\",\"vni\":7}"), created.body());
        assertTrue(call("GET", "/v1/networks", null).body().toString().contains("\"front\""));
        assertError(409, "exists", call("POST", "/v1/networks", "{\"name\":\"front\",\"subnet\":\"10.0.8.0/24\"}"));
        assertError(409, "overlap", call("POST", "/v1/networks", "{\"name\":\"over\",\"subnet\":\"10.0.9.128/25\"}"));

        ApiResponse svc = call("POST", "/v1/services", "{\"name\":\"web\",\"network\":\"front\",\"vip\":\"10.0.9.100\","
            + "\"ports\":[{\"published\":8080,\"target\":80,\"protocol\":\"tcp\"}]}");
        assertEquals(201, svc.status(), svc.body().toString());
        assertEquals(JSON.readTree("{\"name\":\"web\",\"mode\":\"vip\",\"networks\":[{\"network\":\"front\","
            + "\"vip\":\"10.0.9.100\"}],\"ports\":[{\"published\":8080,\"target\":80,\"protocol\":\"tcp\"}],"
            + "\"weights\":{}}"), svc.body());
        ApiResponse inspect = call("GET", "/v1/services/web", null);
        assertEquals(200, inspect.status());
        assertTrue(inspect.body().path("backends").isArray(), inspect.body().toString());
        ApiResponse net = call("GET", "/v1/networks/front", null);
        assertEquals(JSON.readTree("[\"web\"]"), net.body().path("services"), net.body().toString());
        assertTrue(net.body().path("endpoints").isArray());
        assertError(404, "no service 'nope'", call("GET", "/v1/services/nope", null));
        assertError(400, "field 'mode'", call("POST", "/v1/services",
            "{\"name\":\"x\",\"network\":\"front\",\"mode\":\"round\"}"));
        assertError(404, "network", call("POST", "/v1/services",
            "{\"name\":\"x\",\"network\":\"missing\",\"mode\":\"dnsrr\"}"));

        assertError(404, "nope", call("PATCH", "/v1/services/nope", "{\"weights\":{\"web.1\":0}}"));
        assertError(400, "web.1", call("PATCH", "/v1/services/web", "{\"weights\":{\"web.1\":0}}"));
        assertError(400, "field 'weights.web.1'", call("PATCH", "/v1/services/web", "{\"weights\":{\"web.1\":\"0\"}}"));
        assertEquals(204, call("DELETE", "/v1/services/web", null).status());
        assertError(404, "no service 'web'", call("DELETE", "/v1/services/web", null));
        assertEquals(204, call("DELETE", "/v1/networks/front", null).status());
        assertError(404, "no network 'front'", call("DELETE", "/v1/networks/front", null));
        assertError(404, "no network 'front'", call("GET", "/v1/networks/front", null));
    }

    /** Found by ApiServerFuzzTest: the re-created network's address-block allocators fought on the gossip thread. */
    @Test
    void shouldCreateANetworkAgainAfterRemovingIt() throws IOException {
        String body = "{\"name\":\"again\",\"subnet\":\"10.0.7.0/24\",\"vni\":4000}";
        for (int i = 0; i < 3; i++) {
            assertEquals(201, call("POST", "/v1/networks", body).status(), "round " + i);
            assertEquals(200, call("GET", "/v1/members", null).status(), "the gossip thread answers");
            assertEquals(204, call("DELETE", "/v1/networks/again", null).status());
        }
    }

    @Test
    void shouldRefuseBadJsonNamingTheField() throws IOException {
        assertError(400, "field 'vni': expected an integer, got a string",
            call("POST", "/v1/networks", "{\"name\":\"n\",\"subnet\":\"10.1.0.0/24\",\"vni\":\"5\"}"));
        assertError(400, "unknown field 'colour'",
            call("POST", "/v1/networks", "{\"name\":\"n\",\"subnet\":\"10.1.0.0/24\",\"colour\":1}"));
        assertError(400, "missing field 'name'", call("POST", "/v1/networks", "{\"subnet\":\"10.1.0.0/24\"}"));
        assertError(400, "must be a JSON object", call("POST", "/v1/networks", "[1]"));
        assertError(400, "network name", call("POST", "/v1/networks",
            "{\"name\":\"Bad Name!\",\"subnet\":\"10.1.0.0/24\"}"));
        assertError(400, "field 'weights'", call("PATCH", "/v1/services/web", "{\"weights\":[1]}"));
    }

    @Test
    void shouldAnswerAttachmentsAndTheirErrorsWithoutRoot() throws IOException {
        assertEquals(JSON.readTree("[]"), call("GET", "/v1/attachments", null).body());
        assertError(404, "not attached", call("DELETE", "/v1/attachments?network=front&namespace=c1", null));
        assertError(400, "missing query parameter 'namespace'", call("DELETE", "/v1/attachments?network=front", null));
        assertError(400, "/proc", call("POST", "/v1/attachments",
            "{\"network\":\"front\",\"namespace\":\"/proc/1/ns/net\",\"ip\":\"10.0.9.5\"}"));
        assertError(400, "field 'aliases'", call("POST", "/v1/attachments",
            "{\"network\":\"front\",\"namespace\":\"c1\",\"aliases\":\"a\"}"));
        assertError(400, "not an IP address", call("POST", "/v1/attachments",
            "{\"network\":\"front\",\"namespace\":\"c1\",\"ip\":\"localhost\"}"));
    }

    @Test
    void shouldReadWriteAndDeleteRawTableEntries() throws IOException {
        assertEquals(204, call("PUT", "/v1/tables/test/a%2Fb", "{\"value\":\"h\u00e9llo\"}").status());
        assertEquals(JSON.readTree("{\"key\":\"a/b\",\"value\":\"h\u00e9llo\"}"),
            call("GET", "/v1/tables/test/a%2Fb", null).body());
        assertEquals(JSON.readTree("[{\"key\":\"a/b\",\"value\":\"h\u00e9llo\"}]"),
            call("GET", "/v1/tables/test", null).body());
        assertEquals(204, call("DELETE", "/v1/tables/test/a%2Fb", null).status());
        assertError(404, "no key 'a/b'", call("GET", "/v1/tables/test/a%2Fb", null));
        assertError(404, "no key 'a/b'", call("DELETE", "/v1/tables/test/a%2Fb", null));
        assertError(400, "missing field 'value'", call("PUT", "/v1/tables/test/k", "{}"));
    }

    @Test
    void shouldRotateKeys() throws IOException {
        String k1 = Base64.getEncoder().encodeToString(ApiTestMesh.key(1));
        String k2 = Base64.getEncoder().encodeToString(ApiTestMesh.key(2));
        assertEquals(JSON.readTree("{\"keys\":[\"" + k1 + "\"]}"), call("GET", "/v1/keys", null).body());
        assertEquals(204, call("POST", "/v1/keys", "{\"op\":\"install\",\"key\":\"" + k2 + "\"}").status());
        assertEquals(204, call("POST", "/v1/keys", "{\"op\":\"use\",\"key\":\"" + k2 + "\"}").status());
        assertEquals(JSON.readTree("{\"keys\":[\"" + k2 + "\",\"" + k1 + "\"]}"), call("GET", "/v1/keys", null).body());
        assertEquals(204, call("POST", "/v1/keys", "{\"op\":\"use\",\"key\":\"" + k1 + "\"}").status());
        assertEquals(204, call("POST", "/v1/keys", "{\"op\":\"remove\",\"key\":\"" + k2 + "\"}").status());
        assertError(400, "primary", call("POST", "/v1/keys", "{\"op\":\"remove\",\"key\":\"" + k1 + "\"}"));
        assertError(400, "base64", call("POST", "/v1/keys", "{\"op\":\"use\",\"key\":\"!!\"}"));
        assertError(400, "field 'op'", call("POST", "/v1/keys", "{\"op\":\"burn\",\"key\":\"" + k1 + "\"}"));
    }

    @Test
    void shouldAnswer409ForKeysWhenEncryptionIsOff() throws Exception {
        Router plain = Router.builder().build();
        Router.Builder b = Router.builder();
        new NodeRoutes(mesh::members, mesh.parts().gossip(), Optional.empty(), new MetricRegistry()).addTo(b);
        assertTrue(plain.patterns().isEmpty());
        Path socket = dir.resolve("plain.sock");
        ApiServer s = ApiServer.builder(socket, b.build()).start();
        try (UnixSocketApi c = UnixSocketApi.of(socket)) {
            assertError(409, "encryption is off", c.call("GET", "/v1/keys", null));
        } finally {
            s.close();
        }
    }

    @Test
    void shouldListStatsWithTypesLabelsAndItsOwnCounters() throws IOException {
        call("GET", "/v1/nowhere", null);
        JsonNode stats = call("GET", "/v1/stats", null).body();
        boolean members = false;
        boolean refused = false;
        for (JsonNode s : stats) {
            if (s.path("name").asText().equals("meshd_gossip_members")
                && s.path("labels").path("state").asText().equals("alive")) {
                members = s.path("type").asText().equals("gauge") && s.path("value").asDouble() == 1;
            }
            if (s.path("name").asText().equals("meshd_api_requests_total")
                && s.path("labels").path("outcome").asText().equals("client-error")) {
                refused = s.path("type").asText().equals("counter") && s.path("value").asDouble() >= 1;
            }
        }
        assertTrue(members && refused, stats.toString());
    }

    @Test
    void shouldMapRoutingAndProtocolErrors() throws IOException {
        assertError(404, "no such path", call("GET", "/v2/members", null));
        assertError(404, "no such path", call("GET", "/v1/networks/a/b", null));
        String raw = exchange("DELETE /v1/members HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 405 "), raw);
        assertTrue(raw.contains("\r\nallow: GET\r\n"), raw);
        raw = exchange("POST /v1/networks HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}");
        assertTrue(raw.startsWith("HTTP/1.1 415 ") && raw.contains("application/json"), raw);
        raw = exchange("POST /v1/networks HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n"
            + "{\"a\":");
        assertTrue(raw.startsWith("HTTP/1.1 400 ") && raw.contains("not JSON"), raw);
        raw = exchange("POST /v1/networks HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
            + (ApiServer.MAX_BODY + 1) + "\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 413 ") && raw.contains("\"status\":413"), raw);
        raw = exchange("\u0001\u0002 garbage\r\n\r\n");
        assertTrue(raw.startsWith("HTTP/1.1 400 ") && raw.contains("\"status\":400"), raw);
        raw = exchange("GET /v1/mem");
        assertTrue(raw.startsWith("HTTP/1.1 400 ") && raw.contains("closed before a complete request"), raw);
    }

    @Test
    void shouldGiveANetworkWithoutASubnetOneDerivedFromItsVni() throws IOException {
        ApiResponse r = call("POST", "/v1/networks", "{\"name\":\"auto\",\"vni\":77}");
        assertEquals(201, r.status(), r.body().toString());
        assertEquals(JSON.readTree("{\"name\":\"auto\",\"subnet\":\"10.0.77.0/24\",\"vni\":77}"), r.body());
        assertEquals(204, call("DELETE", "/v1/networks/auto", null).status());
    }

    @Test
    void shouldCreateTheSocketMode0600() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path())));
        try (Stream<Path> left = Files.list(server.path().getParent())) {
            assertEquals(List.of(server.path()), left.toList(), "no staging directory left behind");
        }
    }

    @Test
    void shouldRemoveTheSocketFileOnClose() throws Exception {
        Path socket = dir.resolve("closing.sock");
        ApiServer s = ApiServer.builder(socket, Router.builder().build()).start();
        assertTrue(Files.exists(socket));
        s.close();
        assertTrue(Files.notExists(socket));
    }

    @Test
    void shouldServeOthersWhileAnIdleClientWaitsOutItsTimeout() throws Exception {
        try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.connect(UnixDomainSocketAddress.of(server.path()));
            long start = System.nanoTime();
            assertEquals(200, call("GET", "/v1/members", null).status());
            assertTrue(System.nanoTime() - start < TIMEOUT.toNanos(), "answered while the idle one waits");
            // read blocks until the server closes the idle connection: after the timeout, not much later
            assertEquals(-1, silent.read(ByteBuffer.allocate(16)), "the idle connection was closed");
            long took = System.nanoTime() - start;
            assertTrue(took >= TIMEOUT.toNanos() - 100_000_000L && took < TIMEOUT.toNanos() * 5,
                "closed after " + took / 1_000_000 + " ms (timeout " + TIMEOUT + ")");
        }
    }

    @Test
    void shouldHoldNoDescriptorPerConnectionWhateverTheRequest() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        call("GET", "/v1/members", null);
        long before = openDescriptors();
        for (int i = 0; i < 200; i++) {
            byte[] request = new byte[random.nextInt(200)];
            random.nextBytes(request);
            String answer = exchange(new String(request, StandardCharsets.ISO_8859_1));
            assertTrue(answer.startsWith("HTTP/1.1 4"), "seed " + seed + ": " + answer);
        }
        assertEquals(200, call("GET", "/v1/members", null).status(), "still serving (seed " + seed + ")");
        long added = openDescriptors() - before;
        assertTrue(added < 10, added + " descriptors more after 200 requests (seed " + seed + ")");
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Sends raw bytes (ISO-8859-1), half-closes, and returns everything the server sent until it closed. */
    static String exchange(String request) throws IOException {
        return new String(exchange(server.path(), request.getBytes(StandardCharsets.ISO_8859_1)),
            StandardCharsets.UTF_8);
    }

    /** Sends {@code request} on {@code socket}, half-closes, and reads until the server closes. */
    static byte[] exchange(Path socket, byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            try {
                ByteBuffer out = ByteBuffer.wrap(request);
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                ch.shutdownOutput();
            } catch (IOException e) {
                // the server may answer (413) and stop reading before all was sent: the answer still counts
            }
            ByteBuffer in = ByteBuffer.allocate(1 << 20);
            try {
                while (ch.read(in) >= 0) {
                    if (!in.hasRemaining()) {
                        throw new AssertionError("answer over 1 MiB");
                    }
                }
            } catch (IOException e) {
                // a reset after the answer: what arrived counts
            }
            in.flip();
            byte[] b = new byte[in.remaining()];
            in.get(b);
            return b;
        }
    }
}
