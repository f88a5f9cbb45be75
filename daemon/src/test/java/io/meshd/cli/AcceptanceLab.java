package io.meshd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshd.cli.AgentProcesses.CliResult;
import io.meshd.gossip.DetectionBound;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.alloc.BlockAllocator;
import io.meshd.harness.ExecResult;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabProcess;
import io.meshd.harness.LabSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 13's acceptance lab: three hosts (lab namespaces on one underlay segment), one {@code meshd agent} process
 * per host started inside it ({@code ip netns exec}) with its own socket and state file ({@link AgentProcesses}'s
 * directory), the fast gossip timings of {@link AgentProcesses#FAST}, its VTEP on the host's underlay address and a
 * resolver of the host as its upstream; container namespaces (lab hosts too,
 * so their names are unique to the run) are attached by running the CLI against the right host's socket. Every
 * namespace, process, file and {@code /etc/netns} entry it made goes in {@link #close()}.
 */
final class AcceptanceLab implements AutoCloseable {

    static final int HOSTS = 3;
    static final GossipConfig GOSSIP = AgentProcesses.FAST_CONFIG;
    /** Crash-to-dead bound for {@link AgentProcesses#FAST} at three members, plus the scheduling allowance. */
    static final Duration DETECT = DetectionBound.of(GOSSIP, HOSTS).plus(AgentProcesses.SCHEDULING_ALLOWANCE);
    /**
     * A table write reaching every agent: gossip spreads it within a fraction of a second; one that missed the
     * broadcast comes with the next push-pull (two intervals cover an exchange that started just before the write).
     */
    static final Duration SPREAD = GOSSIP.pushPullInterval().multipliedBy(2).plus(AgentProcesses.SCHEDULING_ALLOWANCE);
    /**
     * A restarted node's endpoints all back: its containers' at once (recovered from the state file), but its
     * routing-mesh endpoint {@code _ingress-<node>} is attached anew (a {@code kill -9} leaves no ingress namespace to
     * recover) with an automatic address, which waits for the node's address block to settle.
     */
    static final Duration REJOIN = BlockAllocator.settleTime(GOSSIP, HOSTS).plus(SPREAD);
    /** A cluster forming once its agents listen: a join stream, a reconnect round, and a false suspicion refuted. */
    static final Duration FORMED = GOSSIP.streamTimeout().plus(GOSSIP.reconnectInterval()).plus(DETECT);
    /** An agent JVM starting to answer on its socket (class loading on a loaded 2-core machine; no protocol bound). */
    static final Duration JVM_START = Duration.ofSeconds(60);

    /** A name the upstream resolver of every host knows, and its address. */
    static final String OUTSIDE = "outside.example";
    static final String OUTSIDE_IP = "192.0.2.7";
    /** Where each host's upstream resolver listens (inside the host, where the agent's forwarder sends from). */
    private static final String UPSTREAM = "127.0.0.1:5353";

    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
    private static final Path ETC_NETNS = Path.of("/etc/netns");

    private final Lab lab;
    private final Path dir;
    private final AgentProcesses agents;
    private final List<LabHost> hosts = new ArrayList<>();
    private final List<Path> resolvConfs = new ArrayList<>();
    private final List<Map.Entry<String, LabProcess>> runs = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private LabSegment underlay;

    private AcceptanceLab(Lab lab, Path dir) {
        this.lab = lab;
        this.dir = dir;
        this.agents = new AgentProcesses(dir);
    }

    /** An empty lab: no hosts yet. */
    static AcceptanceLab create() throws IOException {
        Lab lab = Lab.create();
        try {
            return new AcceptanceLab(lab, Files.createTempDirectory("meshd-accept-"));
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * Creates the three hosts on underlay {@code 10.90.0.0/24} (host i at 10.90.0.i+1), starts agent {@code n<i+1>}
     * in each (joining the other two) and waits until every agent sees all three alive.
     */
    void startAgents() throws InterruptedException {
        for (int i = 0; i < HOSTS; i++) {
            hosts.add(lab.host("h" + (i + 1)));
        }
        underlay = lab.segment("10.90.0.0/24", hosts.toArray(new LabHost[0]));
        for (LabHost h : hosts) {
            upstream(h);
        }
        for (int i = 0; i < HOSTS; i++) {
            String address = underlay.address(hosts.get(i));
            List<String> extra = new ArrayList<>(List.of("--vtep-address", address, "--upstream", UPSTREAM));
            for (int j = 0; j < HOSTS; j++) {
                if (j != i) {
                    extra.addAll(List.of("--join", underlay.address(hosts.get(j)) + ":7946"));
                }
            }
            runs.add(Map.entry(agent(i), agents.startIn(hosts.get(i), agent(i), address + ":7946", extra)));
        }
        for (int i = 0; i < HOSTS; i++) {
            awaitAnswering(agent(i));
        }
        awaitFormed();
    }

    /**
     * The host's resolver for names outside the mesh, as a real one would: dnsmasq, knowing {@link #OUTSIDE} and
     * answering NXDOMAIN for everything else (no upstream of its own).
     */
    private static void upstream(LabHost h) throws InterruptedException {
        String[] hostPort = UPSTREAM.split(":");
        h.startProcess("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--pid-file=",
            "--log-facility=-", "--bind-interfaces", "--listen-address=" + hostPort[0], "--port=" + hostPort[1],
            "--local=/#/", "--address=/" + OUTSIDE + "/" + OUTSIDE_IP);
        until("dnsmasq listening in " + h, Duration.ofSeconds(30),
            () -> !h.exec("ss", "-Hlun", "sport = :" + hostPort[1]).stdout().isBlank(), Boolean::booleanValue);
    }

    /**
     * Agent {@code i}'s name, unique to the run ({@code n1-<run id>}, ...): node names name things outside the lab
     * too (the routing mesh's ingress namespace {@code meshd-in-<node>}), which must not collide with another run's.
     */
    String agent(int i) {
        return "n" + (i + 1) + "-" + lab.runId();
    }

    /** Lab host {@code i} (where agent {@code i} runs). */
    LabHost host(int i) {
        return hosts.get(i);
    }

    /** Agent {@code agent}'s API socket. */
    Path socket(String agent) {
        return agents.socket(agent);
    }

    /** The directory under which the agents' sockets and state directories live. */
    Path dir() {
        return dir;
    }

    /**
     * A container: a namespace of its own with {@code lo} up, named uniquely to the run, whose processes
     * ({@code ip netns exec}) resolve through the mesh's responder (an {@code /etc/netns/NS/resolv.conf} naming
     * 127.0.0.11, as the embedder writes it).
     */
    LabHost container(String shortName) throws IOException {
        LabHost c = lab.host(shortName);
        Path conf = ETC_NETNS.resolve(c.name()).resolve("resolv.conf");
        Files.createDirectories(conf.getParent());
        resolvConfs.add(conf);
        Files.writeString(conf, "nameserver 127.0.0.11\noptions ndots:0 timeout:2 attempts:2\n",
            StandardCharsets.UTF_8);
        return c;
    }

    /** Runs {@code meshd ARGS --socket <agent's socket>} in this JVM (picocli's writers captured). */
    CliResult meshd(String agent, String... args) {
        CliRun run = new CliRun();
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--socket", socket(agent).toString()));
        int exit = run.run(all.toArray(new String[0]));
        return new CliResult(exit, run.out(), run.err());
    }

    /** Like {@link #meshd} but requires exit 0, for steps that set the scene. */
    CliResult meshdOk(String agent, String... args) {
        CliResult r = meshd(agent, args);
        if (r.exit() != 0) {
            throw new AssertionError("meshd " + String.join(" ", args) + " at " + agent + ": " + r);
        }
        return r;
    }

    /** {@code meshd ARGS --format json} at {@code agent}, parsed; null when it fails or prints no JSON. */
    JsonNode json(String agent, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--format", "json"));
        CliResult r = meshd(agent, all.toArray(new String[0]));
        if (r.exit() != 0) {
            return null;
        }
        try {
            return json.readTree(r.out());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {@code meshd KIND inspect NAME --format json} at {@code agent}: the one object inspected (the verbs print an
     * array, as {@code docker inspect} does); null when it fails or finds nothing.
     */
    JsonNode inspect(String agent, String kind, String name) {
        JsonNode n = json(agent, kind, "inspect", name);
        if (n != null && n.isArray()) {
            return n.size() == 1 ? n.get(0) : null;
        }
        return n;
    }

    /** Member name to state (lower case) as {@code meshd members} at {@code agent} prints them; empty if it fails. */
    Map<String, String> members(String agent) {
        Map<String, String> states = new TreeMap<>();
        CliResult r = meshd(agent, "members");
        if (r.exit() != 0) {
            return states;
        }
        for (String line : r.out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && !f[0].equals("NAME")) {
                states.put(f[0], f[2].toLowerCase(Locale.ROOT));
            }
        }
        return states;
    }

    /** Whether every agent sees every agent alive. */
    boolean formed() {
        for (int i = 0; i < HOSTS; i++) {
            Map<String, String> m = members(agent(i));
            for (int j = 0; j < HOSTS; j++) {
                if (!"alive".equals(m.get(agent(j)))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every agent's member view, for failure messages. */
    String views() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < HOSTS; i++) {
            b.append(' ').append(agent(i)).append(members(agent(i)));
        }
        return b.toString();
    }

    /** Waits until agent {@code agent}'s process answers {@code meshd members} ({@link #JVM_START}). */
    void awaitAnswering(String agent) throws InterruptedException {
        LabProcess p = agents.labProcess(agent);
        until(agent + " answers on " + socket(agent), JVM_START,
            () -> !p.isAlive() || members(agent).containsKey(agent), Boolean::booleanValue);
        if (!p.isAlive()) {
            throw new AssertionError("agent " + agent + " exited:\n" + p.output());
        }
    }

    /** Waits until every agent sees every agent alive ({@link #FORMED}). */
    void awaitFormed() throws InterruptedException {
        until("every agent sees all " + HOSTS + " alive (" + views() + ")", FORMED, this::formed,
            Boolean::booleanValue);
    }

    /** {@code kill -9} of agent {@code agent}; returns once it is gone. */
    void kill(String agent) throws InterruptedException {
        agents.kill(agent);
    }

    /** Starts agent {@code agent} again with its name, socket and state directory, and waits until it answers. */
    void restart(String agent) throws InterruptedException {
        runs.add(Map.entry(agent, agents.restart(agent)));
        awaitAnswering(agent);
    }

    /**
     * Starts every agent a failed test left dead and waits until the cluster is whole, so one test's failure does not
     * become the next one's.
     */
    void ensureAllRunning() throws InterruptedException {
        boolean restarted = false;
        for (int i = 0; i < HOSTS; i++) {
            if (!agents.labProcess(agent(i)).isAlive()) {
                System.out.println("agent " + agent(i) + " was left dead by an earlier test: restarting it");
                restart(agent(i));
                restarted = true;
            }
        }
        if (restarted) {
            awaitFormed();
        }
    }

    /** The A records {@code dig +short NAME} gets from the mesh's responder inside {@code c}. */
    Set<String> dig(LabHost c, String name) {
        Set<String> got = new TreeSet<>();
        for (String line : digRaw(c, "+short", name).split("\n")) {
            if (!line.isBlank()) {
                got.add(line.trim());
            }
        }
        return got;
    }

    /** The response code ({@code NOERROR}, {@code NXDOMAIN}, ...) for {@code NAME}, or the whole output if none. */
    String digStatus(LabHost c, String name) {
        String out = digRaw(c, name);
        Matcher m = STATUS.matcher(out);
        return m.find() ? m.group(1) : "no answer: " + out;
    }

    private static String digRaw(LabHost c, String... args) {
        List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.11", "+time=1", "+tries=1"));
        cmd.addAll(Arrays.asList(args));
        return c.exec(Duration.ofSeconds(10), cmd.toArray(new String[0])).stdout();
    }

    /**
     * One TCP request from {@code client}: connects to {@code target} ({@code HOST:PORT}, the host resolved by the
     * container's resolver) within {@code connectSeconds} and reads what the server says until it closes.
     */
    static ExecResult request(LabHost client, String target, int connectSeconds) {
        return client.exec(Duration.ofSeconds(connectSeconds + 15L), "socat", "-u", "-T", "5",
            "TCP4:" + target + ",connect-timeout=" + connectSeconds, "STDOUT");
    }

    /** Starts a TCP server on {@code port} in {@code c} answering every connection with {@code answer}. */
    static void serve(LabHost c, int port, String answer) throws InterruptedException {
        c.startProcess("socat", "TCP-LISTEN:" + port + ",fork,reuseaddr", "SYSTEM:echo " + answer);
        awaitListening(c, port);
    }

    /** Starts a one-connection TCP echo server on {@code port} in {@code c}. */
    static void echo(LabHost c, int port) throws InterruptedException {
        c.startProcess("socat", "TCP-LISTEN:" + port + ",reuseaddr", "PIPE");
        awaitListening(c, port);
    }

    private static void awaitListening(LabHost c, int port) throws InterruptedException {
        until(port + " listening in " + c, Duration.ofSeconds(30),
            () -> !c.exec("ss", "-Hltn", "sport = :" + port).stdout().isBlank(), Boolean::booleanValue);
    }

    /**
     * Polls {@code probe} every 100 ms until {@code done} accepts its value, then returns it; an {@link AssertionError}
     * with the last value when {@code within} passes first.
     */
    static <T> T until(String what, Duration within, Supplier<T> probe, Predicate<T> done)
        throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + ": " + what + "; last seen: " + last);
            }
            Thread.sleep(100);
            last = probe.get();
        }
        return last;
    }

    /** Every agent run's log (kept by the lab until it closes), for a failed run's report. */
    String agentLogs() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, LabProcess> r : runs) {
            String out = r.getValue().output();
            List<String> lines = List.of(out.split("\n"));
            b.append("== agent ").append(r.getKey()).append(" pid ").append(r.getValue().pid())
                .append(r.getValue().isAlive() ? " (running)" : " (ended)").append(", last lines:\n")
                .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size())))
                .append('\n');
        }
        return b.toString();
    }

    /** Stops every agent and process, deletes every namespace, the agents' directory and the resolver files. */
    @Override
    public void close() {
        try {
            System.out.println(agentLogs());
        } catch (RuntimeException e) {
            System.out.println("agent logs unavailable: " + e);
        }
        try {
            lab.close();
        } finally {
            for (Path conf : resolvConfs) {
                try {
                    Files.deleteIfExists(conf);
                    Files.deleteIfExists(conf.getParent());
                } catch (IOException e) {
                    System.out.println("could not delete " + conf + ": " + e);
                }
            }
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path d) {
        try (Stream<Path> paths = Files.walk(d)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
