package io.meshd.cli.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.Mesh;
import io.meshd.MeshOptions;
import io.meshd.api.ApiRoutes;
import io.meshd.api.ApiServer;
import io.meshd.gossip.GossipConfig;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.RequiresLab;
import io.meshd.net.metrics.MetricRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * As a person uses them, as root: {@code meshd attach} puts a lab namespace on a network with its address, the
 * listings count it, a second attach is refused, {@code meshd service update} drains a backend, {@code meshd
 * detach} takes the interface away. One {@link Mesh}
 * node on loopback behind the agent's {@link ApiServer}; the verbs run through {@code Main.commandLine()} and their
 * real client.
 */
@RequiresLab
class VerbsLabTest {

    private Path dir;
    private Mesh mesh;
    private ApiServer server;
    private Lab lab;
    private String socket;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("meshd-verbs-lab");
        mesh = Mesh.start(MeshOptions.builder().nodeName("solo")
            .gossip(GossipConfig.local().name("solo").pushPullInterval(Duration.ofSeconds(2)).build())
            .gossipBind(new InetSocketAddress("127.0.0.1", 0))
            .vtepAddress((Inet4Address) InetAddress.getByName("127.0.0.1")).vtepPort(0)
            .syncTimeout(Duration.ZERO).routingMesh(false).build()); // in the test's namespace: publish nothing
        Path path = dir.resolve("meshd.sock");
        server = ApiServer.builder(path, ApiRoutes.of(mesh, Optional.empty(), new MetricRegistry())).start();
        socket = path.toString();
        lab = Lab.create();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        mesh.close();
        lab.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String[] run(int expected, String... args) {
        try (VerbRun run = VerbRun.real()) {
            String[] all = Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--socket";
            all[args.length + 1] = socket;
            assertEquals(expected, run.run(all), String.join(" ", args) + ": " + run.out() + run.err());
            return new String[] {run.out(), run.err()};
        }
    }

    @Test
    void shouldAttachListRefuseASecondAttachAndDetach() {
        LabHost c1 = lab.host("c1");
        LabHost c2 = lab.host("c2");
        assertEquals("front\n", run(0, "network", "create", "front", "--subnet", "10.96.0.0/24")[0]);
        assertEquals("web\n", run(0, "service", "create", "web", "--network", "front", "--vip", "10.96.0.100")[0]);

        assertEquals("web.1 10.96.0.5\n", run(0, "attach", "front", "--netns", c1.name(), "--ip", "10.96.0.5",
            "--name", "web.1", "--alias", "w1", "--service", "web")[0]);
        assertTrue(c1.addresses().contains("10.96.0.5"), "c1 has its address: " + c1.addresses());
        String[] second = run(1, "attach", "front", "--netns", c1.name());
        assertTrue(second[1].startsWith("Error: ") && second[1].contains(c1.name()), second[1]);

        String[] auto = run(0, "attach", "front", "--netns", c2.name(), "--name", "web.2", "--service", "web");
        assertTrue(auto[0].matches("web\\.2 10\\.96\\.0\\.\\d+\\n"), auto[0]);
        String autoIp = auto[0].trim().split(" ")[1];
        assertTrue(c2.addresses().contains(autoIp), "c2 has " + autoIp + ": " + c2.addresses());

        String ls = run(0, "network", "ls")[0];
        assertTrue(ls.lines().skip(1).findFirst().orElse("").matches("front +10\\.96\\.0\\.0/24 +\\d+ +2"), ls);
        String services = run(0, "service", "ls")[0];
        assertTrue(services.lines().skip(1).findFirst().orElse("").matches("web +vip +front +10\\.96\\.0\\.100 +2/2"),
            services);
        assertEquals("web\n", run(0, "service", "update", "web", "--backend-weight", "web.1=0")[0]);
        String backends = run(0, "service", "inspect", "web", "--format", "table")[0];
        assertTrue(backends.lines().anyMatch(l -> l.matches("web\\.1 +front +10\\.96\\.0\\.5 +solo +0 +true")),
            backends);
        assertTrue(backends.lines().anyMatch(l -> l.matches("web\\.2 +front +" + autoIp.replace(".", "\\.")
            + " +solo +1 +true")), backends);
        String table = run(0, "network", "inspect", "front", "--format", "table")[0];
        assertTrue(table.contains("web.1      10.96.0.5"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("web.1 ") && l.endsWith(" web       w1")), table);

        assertEquals(c1.name() + "\n", run(0, "detach", "front", "--netns", c1.name())[0]);
        assertFalse(c1.addresses().contains("10.96.0.5"), "c1's address is gone: " + c1.addresses());
        String[] again = run(1, "detach", "front", "--netns", c1.name());
        assertTrue(again[1].startsWith("Error: ") && again[1].contains("not attached"), again[1]);
        String[] busy = run(1, "network", "rm", "front");
        assertTrue(busy[1].startsWith("Error: "), busy[1]);
        assertEquals(c2.name() + "\n", run(0, "detach", "front", "--netns", c2.name())[0]);
        assertEquals("web\n", run(0, "service", "rm", "web")[0]);
        assertEquals("front\n", run(0, "network", "rm", "front")[0]);
    }
}
