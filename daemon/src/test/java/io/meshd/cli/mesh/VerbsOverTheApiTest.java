package io.meshd.cli.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshd.Mesh;
import io.meshd.MeshOptions;
import io.meshd.api.ApiRoutes;
import io.meshd.api.ApiServer;
import io.meshd.gossip.GossipConfig;
import io.meshd.net.metrics.MetricRegistry;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end without root: the verbs through {@code Main.commandLine()} and their real client, HTTP over a unix
 * socket, to the agent's {@link ApiServer} in front of a lone {@link Mesh} node on loopback.
 */
class VerbsOverTheApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static Mesh mesh;
    private static ApiServer server;
    private static String socket;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("meshd-verbs");
        mesh = Mesh.start(MeshOptions.builder().nodeName("solo")
            .gossip(GossipConfig.local().name("solo").build())
            .gossipBind(new InetSocketAddress("127.0.0.1", 0))
            .vtepAddress((Inet4Address) InetAddress.getByName("127.0.0.1")).vtepPort(0)
            .syncTimeout(Duration.ZERO).routingMesh(false).build()); // in the test's namespace: publish nothing
        Path path = dir.resolve("meshd.sock");
        server = ApiServer.builder(path, ApiRoutes.of(mesh, Optional.empty(), new MetricRegistry())).start();
        socket = path.toString();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        mesh.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Runs one command line against the agent; the output and errors of this call alone. */
    private static Result run(String... args) {
        try (VerbRun run = VerbRun.real()) {
            String[] all = Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--socket";
            all[args.length + 1] = socket;
            int code = run.run(all);
            assertEquals(List.of(Path.of(socket)), run.opened, String.join(" ", args));
            return new Result(code, run.out(), run.err());
        }
    }

    private record Result(int code, String out, String err) {
    }

    @Test
    void shouldCreateListInspectAndRemoveANetworkAndAService() throws IOException {
        Result r = run("network", "create", "front", "--subnet", "10.0.9.0/24", "--vni", "4242");
        assertEquals(new Result(0, "front\n", ""), r);
        r = run("network", "create", "over", "--subnet", "10.0.9.128/25");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("Error: ") && r.err().contains("overlap") && r.err().indexOf('\n')
            == r.err().length() - 1, r.err());
        assertEquals(new Result(0, """
            NAME    SUBNET        VNI    ENDPOINTS
            front   10.0.9.0/24   4242   0
            """, ""), run("network", "ls"));
        assertEquals(JSON.readTree("[{\"name\":\"front\",\"subnet\":\"10.0.9.0/24\",\"vni\":4242}]"),
            JSON.readTree(run("network", "ls", "--format", "json").out()));

        assertEquals(new Result(0, "web\n", ""), run("service", "create", "web", "--network", "front", "--vip",
            "10.0.9.100", "--publish", "8080:80/tcp", "--publish", "53:5353/udp"));
        assertEquals(new Result(0, """
            NAME   MODE   NETWORK   VIP          PORTS                       BACKENDS
            web    vip    front     10.0.9.100   8080->80/tcp,53->5353/udp   0/0
            """, ""), run("service", "ls"));
        JsonNode inspected = JSON.readTree(run("service", "inspect", "web").out());
        assertEquals(1, inspected.size(), inspected.toString());
        assertEquals(JSON.readTree("[{\"published\":8080,\"target\":80,\"protocol\":\"tcp\"},"
            + "{\"published\":53,\"target\":5353,\"protocol\":\"udp\"}]"), inspected.get(0).get("ports"));
        assertEquals(new Result(1, "", "Error: service 'web' exists already\n"), run("service", "create", "web",
            "--network", "front", "--mode", "dnsrr"));
        assertTrue(inspected.get(0).get("backends").isArray(), inspected.toString());
        assertEquals(JSON.readTree("[\"web\"]"), JSON.readTree(run("network", "inspect", "front").out())
            .get(0).get("services"));
        assertEquals(new Result(1, "", "Error: endpoint 'web.1' is not a task of service 'web'\n"),
            run("service", "update", "web", "--backend-weight", "web.1=0"));
        assertEquals(new Result(0, "web\n", ""), run("service", "rm", "web"));
        assertEquals(new Result(1, "", "Error: no service 'web'\n"), run("service", "rm", "web"));
        assertEquals(new Result(0, "front\n", ""), run("network", "rm", "front"));
        assertEquals(new Result(1, "", "Error: no network 'front'\n"), run("network", "inspect", "front"));
    }

    @Test
    void shouldPrintTheAgentsRefusalsAsOneErrorLine() {
        for (List<String> args : List.of(
            List.of("attach", "nowhere", "--netns", "c1", "--ip", "10.0.9.5", "Error: no network 'nowhere'"),
            List.of("attach", "nowhere", "--netns", "c1", "Error: no network 'nowhere'"),
            List.of("detach", "nowhere", "--netns", "c1", "Error: namespace 'c1' is not attached to 'nowhere'"),
            List.of("network", "create", "Bad_Name!", "--subnet", "10.7.0.0/24",
                "Error: network name 'Bad_Name!' must be 1 to 64 characters"),
            List.of("service", "create", "x", "--network", "nowhere", "--mode", "dnsrr", "Error: no network 'nowhere'"),
            List.of("service", "inspect", "nope", "Error: no service 'nope'"),
            List.of("network", "rm", "nope", "Error: no network 'nope'"))) {
            String expected = args.get(args.size() - 1);
            Result r = run(args.subList(0, args.size() - 1).toArray(String[]::new));
            assertEquals(1, r.code(), args + ": " + r);
            assertTrue(r.err().startsWith(expected) && r.err().indexOf('\n') == r.err().length() - 1,
                args + ": " + r);
        }
    }

    @Test
    void shouldSayWhenTheAgentCannotBeReached() {
        String nobody = dir.resolve("nobody.sock").toString();
        try (VerbRun run = VerbRun.real()) {
            assertEquals(1, run.run("network", "ls", "--socket", nobody));
            assertEquals("Error: cannot reach the meshd agent at " + nobody + ": No such file or directory "
                + "(is `meshd agent` running?)\n", run.err());
            assertEquals("", run.out());
        }
    }
}
