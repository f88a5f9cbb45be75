package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.cli.agent.ControlClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three {@code meshd agent} processes on loopback: join, list members, kill -9 one, leave with SIGTERM. */
class AgentProcessTest {

    private static final Pattern ADDRESS = Pattern.compile("gossiping on (\\S+) ");
    /** Fast settings passed to every agent; the bound below is derived from them. */
    private static final List<String> FAST = List.of("--profile", "local", "--probe-interval", "200ms",
        "--probe-timeout", "100ms", "--gossip-interval", "50ms", "--suspicion-mult", "3",
        "--push-pull-interval", "2s", "--reconnect-interval", "1s");
    /** 3 probe rounds of 200 ms, the longest suspicion (6 x 3 x 0.2 s), one second of slack. */
    private static final Duration BOUND = Duration.ofMillis(3 * 200 + 3600 + 1000);

    @TempDir
    Path dir;

    private final List<Process> agents = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (Process p : agents) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private String start(String name, List<String> extra) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
            "io.meshd.cli.Main", "agent", "--name", name, "--bind", "127.0.0.1:0", "--socket",
            socket(name).toString()));
        cmd.addAll(FAST);
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        agents.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < end) {
            String line = out.readLine();
            if (line == null) {
                break;
            }
            seen.append(line).append('\n');
            Matcher m = ADDRESS.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain-" + name);
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new IllegalStateException("agent " + name + " did not start:\n" + seen);
    }

    private Path socket(String name) {
        return dir.resolve(name + ".sock");
    }

    private Map<String, String> states(String observer) {
        Map<String, String> out = new TreeMap<>();
        try {
            for (String l : ControlClient.request(socket(observer), "members")) {
                String[] f = l.split("\t");
                out.put(f[0], f[2]);
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static boolean await(BooleanSupplier cond, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(25);
        }
        return true;
    }

    @Test
    void shouldJoinListAndDetectAKilledAgentWithinTheBound() throws Exception {
        String seed = start("a1", List.of());
        start("a2", List.of("--join", seed));
        start("a3", List.of("--join", seed));
        Map<String, String> allAlive = Map.of("a1", "ALIVE", "a2", "ALIVE", "a3", "ALIVE");
        assertTrue(await(() -> allAlive.equals(states("a1")) && allAlive.equals(states("a2"))
            && allAlive.equals(states("a3")), Duration.ofSeconds(15)), "all agree: " + states("a1"));

        StringWriter out = new StringWriter();
        picocli.CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("members", "--socket", socket("a2").toString()));
        String table = out.toString();
        assertTrue(table.startsWith("NAME") && table.contains("a1") && table.contains("a3")
            && table.contains("ALIVE"), table);

        ControlClient.request(socket("a3"), "put endpoints web 10.0.0.3");
        assertTrue(await(() -> {
            try {
                return ControlClient.request(socket("a1"), "get endpoints web").equals(List.of("10.0.0.3"));
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(5)), "table entry spread between processes");

        long kill = System.nanoTime();
        agents.get(2).destroyForcibly();
        assertTrue(await(() -> "DEAD".equals(states("a1").get("a3")) && "DEAD".equals(states("a2").get("a3")),
            BOUND), "both survivors mark a3 dead within " + BOUND + ": " + states("a1") + states("a2"));
        Duration took = Duration.ofNanos(System.nanoTime() - kill);
        System.out.println("kill -9 to dead at every survivor: " + took.toMillis() + " ms (bound " + BOUND + ")");

        agents.get(1).destroy();
        assertTrue(agents.get(1).waitFor(10, TimeUnit.SECONDS), "SIGTERM ends the agent");
        assertTrue(await(() -> "LEFT".equals(states("a1").get("a2")), Duration.ofSeconds(5)),
            "SIGTERM leaves gracefully: " + states("a1"));
        assertTrue(Files.notExists(socket("a2")), "control socket removed on exit");
    }

    @Test
    void shouldRejectBadArgumentsWithExitTwo() {
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("agent", "--name", "x", "--bind", "nonsense"));
        assertTrue(err.toString().contains("not ADDR:PORT"), err.toString());
        assertEquals(2, cli.execute("agent", "--name", "x", "--bind", "127.0.0.1:0", "--profile", "moon"));
        assertTrue(err.toString().contains("--profile"), err.toString());
        assertEquals(2, cli.execute("simulate", "--nodes", "2"));
        assertEquals(2, cli.execute("agent", "--bind", "127.0.0.1:0"));
    }

    @Test
    void shouldFailClearlyWhenNoAgentAnswers() {
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(1, cli.execute("members", "--socket", dir.resolve("none.sock").toString()));
        assertTrue(err.toString().contains("cannot reach the agent"), err.toString());
    }

    @Test
    void shouldPrintASimulationReport() {
        StringWriter out = new StringWriter();
        picocli.CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("simulate", "--nodes", "20", "--duration", "40s", "--seed", "3"));
        assertTrue(out.toString().contains("crash-to-dead at every member") && out.toString().contains("19 of 19"),
            out.toString());
    }
}
