package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.meshd.cli.AgentProcesses.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three {@code meshd agent} processes on loopback: join, list members, kill -9 one, leave with SIGTERM. */
class AgentProcessTest {

    @TempDir
    Path dir;

    private AgentProcesses agents;

    @BeforeEach
    void setUp() {
        agents = new AgentProcesses(dir);
    }

    @AfterEach
    void killAll() throws InterruptedException {
        agents.close();
    }

    private String start(String name, List<String> extra) throws IOException {
        return agents.start(name, extra);
    }

    private Path socket(String name) {
        return agents.socket(name);
    }

    private Map<String, String> states(String observer) {
        return agents.states(observer);
    }

    @Test
    void shouldJoinListAndDetectAKilledAgentWithinTheBound() throws Exception {
        String seed = start("a1", List.of());
        start("a2", List.of("--join", seed));
        start("a3", List.of("--join", seed));
        Map<String, String> allAlive = Map.of("a1", "ALIVE", "a2", "ALIVE", "a3", "ALIVE");
        assertTrue(await(() -> allAlive.equals(states("a1")) && allAlive.equals(states("a2"))
            && allAlive.equals(states("a3")), Duration.ofSeconds(15)), "all agree: " + states("a1"));

        CliRun members = new CliRun();
        assertEquals(0, members.run("members", "--socket", socket("a2").toString()));
        String table = members.out();
        assertTrue(table.startsWith("NAME") && table.contains("a1") && table.contains("a3")
            && table.contains("ALIVE"), table);

        agents.put("a3", "test", "web", "10.0.0.3");
        assertTrue(await(() -> agents.get("a1", "test", "web").equals(Optional.of("10.0.0.3")),
            Duration.ofSeconds(5)), "table entry spread between processes");

        long kill = System.nanoTime();
        agents.process(2).destroyForcibly();
        assertTrue(await(() -> "DEAD".equals(states("a1").get("a3")) && "DEAD".equals(states("a2").get("a3")),
            AgentProcesses.BOUND), "both survivors mark a3 dead within " + AgentProcesses.BOUND + ": "
            + states("a1") + states("a2"));
        Duration took = Duration.ofNanos(System.nanoTime() - kill);
        System.out.println("kill -9 to dead at every survivor: " + took.toMillis() + " ms (bound "
            + AgentProcesses.BOUND + ")");

        agents.process(1).destroy();
        assertTrue(agents.process(1).waitFor(10, TimeUnit.SECONDS), "SIGTERM ends the agent");
        assertTrue(await(() -> "LEFT".equals(states("a1").get("a2")), Duration.ofSeconds(5)),
            "SIGTERM leaves gracefully: " + states("a1"));
        assertTrue(Files.notExists(socket("a2")), "API socket removed on exit");
    }

    @Test
    void shouldRejectBadArgumentsWithExitTwo() {
        CliRun cli = new CliRun();
        assertEquals(2, cli.run("agent", "--name", "x", "--bind", "nonsense"));
        assertTrue(cli.err().contains("expected ADDR:PORT"), cli.err());
        // Names are refused, never looked up, wherever the agent takes an address.
        assertEquals(2, cli.run("agent", "--name", "x", "--bind", "localhost:0"));
        assertTrue(cli.err().contains("'localhost' is not an IP address (host names are not resolved)"), cli.err());
        assertEquals(2, cli.run("agent", "--name", "x", "--bind", "127.0.0.1:0", "--advertise", "localhost"));
        assertTrue(cli.err().contains("--advertise: 'localhost' is not an IP address"), cli.err());
        assertEquals(2, cli.run("agent", "--name", "x", "--bind", "127.0.0.1:0", "--profile", "moon"));
        assertTrue(cli.err().contains("--profile"), cli.err());
        // The VTEP needs an IPv4 address the other hosts reach: a wildcard bind alone does not say which.
        assertEquals(2, cli.run("agent", "--name", "x", "--bind", "0.0.0.0:0"));
        assertTrue(cli.err().contains("is a wildcard: give --vtep-address or --advertise"), cli.err());
        assertEquals(2, cli.run("agent", "--name", "x", "--bind", "127.0.0.1:0", "--vtep-address", "localhost"));
        assertTrue(cli.err().contains("--vtep-address: 'localhost' is not an IP address"), cli.err());
        assertEquals(2, cli.run("agent", "--name", "x", "--bind", "127.0.0.1:0", "--vtep-address", "::1"));
        assertTrue(cli.err().contains("the VTEP address must be IPv4"), cli.err());
        assertEquals(2, cli.run("agent", "--name", "x", "--bind", "127.0.0.1:0", "--vtep-port", "70000"));
        assertTrue(cli.err().contains("VTEP port must be 0..65535"), cli.err());
        assertEquals(2, cli.run("simulate", "--nodes", "2"));
        assertEquals(2, cli.run("agent", "--bind", "127.0.0.1:0"));
    }

    @Test
    void shouldFailClearlyWhenNoAgentAnswers() {
        CliRun cli = new CliRun();
        assertEquals(1, cli.run("members", "--socket", dir.resolve("none.sock").toString()));
        assertTrue(cli.err().contains("Error: cannot reach the meshd agent at "), cli.err());
    }

    @Test
    void shouldPrintASimulationReport() {
        CliRun cli = new CliRun();
        assertEquals(0, cli.run("simulate", "--nodes", "20", "--duration", "40s", "--seed", "3"));
        assertTrue(cli.out().contains("crash-to-dead at every member") && cli.out().contains("19 of 19"), cli.out());
    }
}
