package io.meshd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.meshd.cli.api.ApiResponse;
import io.meshd.cli.api.LocalApi;
import io.meshd.cli.api.UnixSocketApi;
import io.meshd.gossip.DetectionBound;
import io.meshd.gossip.GossipConfig;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabProcess;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts {@code meshd agent} processes from the test classpath and talks to them over their API sockets. */
final class AgentProcesses {

    private static final Pattern ADDRESS = Pattern.compile("gossiping on (\\S+) ");
    /**
     * Fast settings passed to every agent. The probe timeout leaves room for a JVM that is still warming up on a
     * busy 2-core machine: a shorter one made healthy agents look dead before they could leave gracefully.
     */
    static final List<String> FAST = List.of("--profile", "local", "--probe-interval", "200ms",
        "--probe-timeout", "150ms", "--gossip-interval", "50ms", "--suspicion-mult", "3",
        "--push-pull-interval", "2s", "--reconnect-interval", "1s");
    /** {@link #FAST} as a configuration (the agent builds the same from the same flags). */
    static final GossipConfig FAST_CONFIG = GossipConfig.local().name("bound").probeInterval(Duration.ofMillis(200))
        .probeTimeout(Duration.ofMillis(150)).gossipInterval(Duration.ofMillis(50)).suspicionMult(3)
        .pushPullInterval(Duration.ofSeconds(2)).reconnectInterval(Duration.ofSeconds(1)).build();
    /**
     * What a loaded 2-core machine adds to the protocol's timing (five agent JVMs, the test JVM and whatever else
     * runs: timers fire late, packets wait for busy event loops).
     */
    static final Duration SCHEDULING_ALLOWANCE = Duration.ofSeconds(5);
    /** Crash-to-dead bound for {@link #FAST} at up to 5 members: the protocol's own bound plus the allowance. */
    static final Duration BOUND = DetectionBound.of(FAST_CONFIG, 5).plus(SCHEDULING_ALLOWANCE);

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, String> startOutput = new TreeMap<>();
    private final Map<String, InLab> inLab = new TreeMap<>();

    /** An agent started inside a lab host: where, with which command line, and its current process. */
    private record InLab(LabHost host, List<String> command, LabProcess process) {
    }

    AgentProcesses(Path dir) {
        this.dir = dir;
    }

    Path socket(String name) {
        return dir.resolve(name + ".sock");
    }

    Process process(int i) {
        return processes.get(i);
    }

    /** The command line of agent {@code name} bound to {@code bind} with this object's socket directory. */
    List<String> command(String name, String bind, List<String> extra) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"), "io.meshd.cli.Main", "agent", "--name", name, "--bind", bind,
            "--socket", socket(name).toString(), "--vtep-port", "0", "--state-dir", dir.toString()));
        cmd.addAll(FAST);
        cmd.addAll(extra);
        return cmd;
    }

    /** Starts agent {@code name} on loopback and returns the address it gossips on once it says so. */
    String start(String name, List<String> extra) throws IOException {
        Process p = new ProcessBuilder(command(name, "127.0.0.1:0", extra)).redirectErrorStream(true).start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            Optional<String> address = gossipAddress(line);
            if (address.isPresent()) {
                startOutput.put(name, seen.toString());
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain-" + name);
                drain.setDaemon(true);
                drain.start();
                return address.get();
            }
        }
        throw new IllegalStateException("agent " + name + " did not start:\n" + seen);
    }

    /** What agent {@code name} printed up to the line announcing its gossip address. */
    String startOutput(String name) {
        return startOutput.getOrDefault(name, "");
    }

    /** The address an agent announced in {@code output}, once it has. */
    static Optional<String> gossipAddress(String output) {
        Matcher m = ADDRESS.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** One call to agent {@code observer}'s API. */
    ApiResponse call(String observer, String method, String path, JsonNode body) throws IOException {
        try (LocalApi api = UnixSocketApi.of(socket(observer), Duration.ofSeconds(10))) {
            return api.call(method, path, body);
        }
    }

    /** Member name to state (ALIVE, SUSPECT, DEAD, LEFT) as agent {@code observer} sees it (empty: no answer). */
    Map<String, String> states(String observer) {
        Map<String, String> out = new TreeMap<>();
        try {
            ApiResponse r = call(observer, "GET", "/v1/members", null);
            if (r.ok()) {
                r.body().forEach(m -> out.put(m.path("name").asText(),
                    m.path("state").asText().toUpperCase(Locale.ROOT)));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Agent {@code observer}'s visible entries of {@code table} as {@code key=value} (empty: no answer). */
    List<String> entries(String observer, String table) {
        List<String> out = new ArrayList<>();
        try {
            ApiResponse r = call(observer, "GET", "/v1/tables/" + table, null);
            if (r.ok()) {
                r.body().forEach(e -> out.add(e.path("key").asText() + "=" + e.path("value").asText()));
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    /** Writes {@code key = value} into {@code table} through agent {@code writer} (plain names, no escaping). */
    void put(String writer, String table, String key, String value) throws IOException {
        ApiResponse r = call(writer, "PUT", "/v1/tables/" + table + "/" + key,
            JsonNodeFactory.instance.objectNode().put("value", value));
        if (r.status() != 204) {
            throw new IOException("PUT refused: " + r.status() + " " + r.body());
        }
    }

    /** The value of {@code key} in {@code table} at agent {@code observer}, if it has one. */
    Optional<String> get(String observer, String table, String key) {
        try {
            ApiResponse r = call(observer, "GET", "/v1/tables/" + table + "/" + key, null);
            return r.ok() ? Optional.of(r.body().path("value").asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static boolean await(BooleanSupplier cond, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(25);
        }
        return true;
    }

    /**
     * Starts agent {@code name} inside lab host {@code host} ({@code ip netns exec}, which execs the JVM, so the
     * process is the agent itself) gossiping on {@code bind}; the lab stops it when it closes. Its output goes to
     * the lab's log ({@link #labProcess}).
     */
    LabProcess startIn(LabHost host, String name, String bind, List<String> extra) {
        List<String> cmd = command(name, bind, extra);
        LabProcess p = host.startProcess(cmd.toArray(new String[0]));
        inLab.put(name, new InLab(host, cmd, p));
        return p;
    }

    /** The current process of lab agent {@code name}. */
    LabProcess labProcess(String name) {
        InLab a = inLab.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no lab agent " + name);
        }
        return a.process();
    }

    /** Kills lab agent {@code name} with SIGKILL ({@code kill -9}: nothing of it runs after) and waits for the end. */
    void kill(String name) throws InterruptedException {
        Process p = labProcess(name).process();
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("agent " + name + " (pid " + p.pid() + ") outlived SIGKILL");
        }
    }

    /** Starts lab agent {@code name} again, in the same host with the same command line (name, socket, state). */
    LabProcess restart(String name) {
        InLab a = inLab.get(name);
        if (a == null || a.process().isAlive()) {
            throw new IllegalStateException("agent " + name + " is not a stopped lab agent");
        }
        LabProcess p = a.host().startProcess(a.command().toArray(new String[0]));
        inLab.put(name, new InLab(a.host(), a.command(), p));
        return p;
    }

    /** What one {@code meshd} command printed and how it exited. */
    record CliResult(int exit, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exit + ", stdout [" + out + "], stderr [" + err + "]";
        }
    }

    /**
     * Runs {@code meshd ARGS} as its own JVM, as a person at a shell would (the launcher's main class and export), and
     * returns its exit code and both outputs. The test classpath minus slf4j-simple (a test-only logging backend the
     * launcher does not ship; with two backends SLF4J complains on stderr).
     */
    static CliResult cli(String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = String.join(File.pathSeparator, List.of(System.getProperty("java.class.path")
            .split(File.pathSeparator)).stream().filter(e -> !e.contains("slf4j-simple")).toList());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", cp, "io.meshd.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("meshd-cli-", ".out");
        Path err = Files.createTempFile("meshd-cli-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("meshd " + String.join(" ", args) + " did not end within 60 s");
            }
            return new CliResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Kills every agent started. */
    void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
