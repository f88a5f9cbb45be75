package io.meshd.harness;

import io.meshd.shims.HostRequirements;
import io.meshd.shims.InterfaceConfig;
import io.meshd.shims.NamedNamespaces;
import io.meshd.shims.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throw-away network of hosts built from network namespaces, for tests. Nothing is created or addressed in the
 * root namespace: veth pairs are created directly between host namespaces, and shared segments get their bridge
 * in a switch namespace of their own.
 *
 * <p>Every namespace and interface name starts with {@code ml} plus five random base-36 characters (the run id),
 * so parallel runs never collide, and no name is longer than 15 characters. {@link #close()} deletes everything
 * the lab made and kills every process it started; a shutdown hook does the same for labs still open when the
 * JVM exits, and {@link #create()} removes what labs of dead JVMs left behind (after {@code kill -9}).
 *
 * <pre>{@code
 * try (Lab lab = Lab.create()) {
 *     LabHost a = lab.host("a");
 *     LabHost b = lab.host("b");
 *     LabLink link = lab.link(a, "10.1.0.1/24", b, "10.1.0.2/24");
 *     a.execOk("ping", "-c", "1", link.addressB());
 * }
 * }</pre>
 */
public final class Lab implements AutoCloseable {

    private static final Pattern SHORT_NAME = Pattern.compile("[a-z0-9]{1,8}");
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String runId;
    private final Path workDir;
    private final Map<String, LabHost> hosts = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<NetNs> handles = new ArrayList<>();
    private final List<LabProcess> processes = new CopyOnWriteArrayList<>();
    private final List<Capture> captures = new CopyOnWriteArrayList<>();
    private final Impairments impairments = new Impairments(this);
    private int links;
    private int segments;
    private int logFiles;
    private boolean closed;

    private Lab(String runId, Path workDir) {
        this.runId = runId;
        this.workDir = workDir;
    }

    /**
     * Creates an empty lab with a fresh run id.
     *
     * @throws IllegalStateException when this process cannot build labs (not root, no {@code ip}, ...)
     */
    public static Lab create() {
        HostRequirements.missing().ifPresent(reason -> {
            throw new IllegalStateException("cannot build a network lab here: " + reason);
        });
        LabRegistry.reapOrphans();
        String runId = "ml" + randomBase36(5);
        while (!LabRegistry.claim(runId)) {
            runId = "ml" + randomBase36(5);
        }
        try {
            Lab lab = new Lab(runId, Files.createTempDirectory("meshd-" + runId + "-"));
            LabRegistry.register(lab);
            return lab;
        } catch (IOException e) {
            LabRegistry.release(runId);
            throw new UncheckedIOException(e);
        }
    }

    /** The prefix of every name this lab creates, e.g. {@code "mlk3x9a"}. */
    public String runId() {
        return runId;
    }

    /**
     * Creates a host: a namespace named run id + {@code shortName}, with {@code lo} up.
     *
     * @param shortName 1 to 8 characters of {@code [a-z0-9]}, unique in this lab
     */
    public synchronized LabHost host(String shortName) {
        ensureOpen();
        if (!SHORT_NAME.matcher(shortName).matches()) {
            throw new IllegalArgumentException("host names are 1 to 8 characters of [a-z0-9]: " + shortName);
        }
        if (hosts.containsKey(shortName)) {
            throw new IllegalArgumentException("host " + shortName + " already exists in lab " + runId);
        }
        String namespace = runId + shortName;
        NetNs netns = createNamespace(namespace);
        LabHost host = new LabHost(this, shortName, namespace, netns);
        hosts.put(shortName, host);
        return host;
    }

    /** The hosts created so far, in creation order. */
    public synchronized List<LabHost> hosts() {
        return List.copyOf(hosts.values());
    }

    /**
     * Joins two hosts with a veth pair, gives each end its address ({@code "10.1.0.1/24"}) and brings both up.
     * The ends are named run id + {@code v<n>a} and {@code v<n>b}.
     */
    public LabLink link(LabHost a, String cidrA, LabHost b, String cidrB) {
        return link(a, Optional.of(cidrA), b, Optional.of(cidrB));
    }

    /**
     * The most common lab: hosts {@code a} and {@code b} joined by one link, {@code a} at network + 1 and
     * {@code b} at network + 2, e.g. {@code pair("10.1.0.0/24")} gives 10.1.0.1/24 and 10.1.0.2/24. The hosts are
     * {@link LabLink#hostA()} and {@link LabLink#hostB()}.
     */
    public LabLink pair(String networkCidr) {
        Cidr network = Cidr.parse(networkCidr);
        return link(host("a"), network.plus(1).toString(), host("b"), network.plus(2).toString());
    }

    /** Joins two hosts with a veth pair without addresses (both ends up), e.g. to bridge or encapsulate over. */
    public LabLink link(LabHost a, LabHost b) {
        return link(a, Optional.empty(), b, Optional.empty());
    }

    private synchronized LabLink link(LabHost a, Optional<String> cidrA, LabHost b, Optional<String> cidrB) {
        ensureOpen();
        requireMember(a);
        requireMember(b);
        if (a == b) {
            throw new IllegalArgumentException("a link needs two different hosts");
        }
        int n = ++links;
        String ifaceA = runId + "v" + n + "a";
        String ifaceB = runId + "v" + n + "b";
        Commands.runOk(List.of("ip", "-n", a.name(), "link", "add", ifaceA, "type", "veth", "peer", "name", ifaceB,
            "netns", b.name()));
        configure(a, ifaceA, cidrA);
        configure(b, ifaceB, cidrB);
        return new LabLink(a, ifaceA, cidrA, b, ifaceB, cidrB);
    }

    /**
     * Puts several hosts on one Ethernet segment: a bridge in a new switch namespace and a veth from each host to
     * it. Host number i (from 0) gets address {@code network + i + 1}, e.g. {@code segment("10.80.0.0/24", a, b,
     * c)} gives a 10.80.0.1, b 10.80.0.2 and c 10.80.0.3, all /24.
     */
    public synchronized LabSegment segment(String networkCidr, LabHost... members) {
        ensureOpen();
        if (members.length < 2 || members.length > 99) {
            throw new IllegalArgumentException("a segment has 2 to 99 hosts");
        }
        Cidr network = Cidr.parse(networkCidr);
        int n = ++segments;
        String switchNamespace = runId + "-sw" + n;
        createNamespace(switchNamespace);
        String bridge = runId + "br" + n;
        String iface = runId + "s" + n;
        Commands.runOk(List.of("ip", "-n", switchNamespace, "link", "add", bridge, "type", "bridge"));
        Commands.runOk(List.of("ip", "-n", switchNamespace, "link", "set", bridge, "up"));
        Map<LabHost, String> addresses = new LinkedHashMap<>();
        for (int i = 0; i < members.length; i++) {
            LabHost host = members[i];
            requireMember(host);
            String port = iface + "p" + i;
            Commands.runOk(List.of("ip", "-n", switchNamespace, "link", "add", port, "type", "veth", "peer",
                "name", iface, "netns", host.name()));
            Commands.runOk(List.of("ip", "-n", switchNamespace, "link", "set", port, "master", bridge, "up"));
            Cidr address = network.plus(i + 1);
            configure(host, iface, Optional.of(address.toString()));
            addresses.put(host, address.address().getHostAddress());
        }
        return new LabSegment(iface, switchNamespace, addresses);
    }

    /**
     * Drops the given share of frames arriving at {@code iface} of {@code host} (nftables {@code numgen random} on
     * the netdev ingress hook: the egress hook counts but does not drop on this kernel); 0 removes the impairment.
     * Impair both ends of a link for loss in both directions.
     */
    public void impair(LabHost host, String iface, double lossPercent) {
        requireMember(host);
        impairments.loss(host, iface, lossPercent);
    }

    /**
     * Shapes frames leaving {@code iface} of {@code host} to {@code kbitPerSecond} with a token bucket
     * ({@code tc qdisc replace ... root tbf}); 0 removes the shaping. Delay ({@code netem}) does not exist on this
     * kernel, rate does.
     */
    public void rateLimit(LabHost host, String iface, int kbitPerSecond) {
        requireMember(host);
        if (kbitPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative: " + kbitPerSecond);
        }
        if (kbitPerSecond == 0) {
            host.exec("tc", "qdisc", "del", "dev", iface, "root");
            return;
        }
        // A burst of at least one MTU-sized frame, else tbf can never send a full frame.
        int burstBytes = Math.max(kbitPerSecond * 1000 / 8 / 50, 3200);
        host.execOk("tc", "qdisc", "replace", "dev", iface, "root", "tbf", "rate", kbitPerSecond + "kbit",
            "burst", Integer.toString(burstBytes), "latency", "100ms");
    }

    /**
     * Cuts IPv4 traffic between two groups of hosts: every host of one group drops packets from and to every
     * current IPv4 address of the other group (nftables, input/output/forward hooks). Partitions add up until
     * {@link #heal()}.
     */
    public void partition(Collection<LabHost> groupA, Collection<LabHost> groupB) {
        groupA.forEach(this::requireMember);
        groupB.forEach(this::requireMember);
        impairments.partition(groupA, groupB);
    }

    /** Removes every partition. */
    public void heal() {
        impairments.heal();
    }

    /** Deletes every namespace (and so every link, bridge and VXLAN device) and kills every process. */
    @Override
    public void close() {
        List<String> toDelete;
        List<NetNs> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toDelete = new ArrayList<>(namespaces);
            toClose = new ArrayList<>(handles);
        }
        List<Throwable> failures = new ArrayList<>();
        for (Capture capture : captures) {
            attempt(failures, capture::close);
        }
        for (LabProcess process : processes) {
            attempt(failures, process::stop);
        }
        for (NetNs handle : toClose) {
            attempt(failures, handle::close);
        }
        for (String namespace : toDelete) {
            attempt(failures, () -> LabRegistry.deleteNamespace(namespace));
        }
        attempt(failures, () -> deleteRecursively(workDir));
        LabRegistry.unregister(this);
        if (!failures.isEmpty()) {
            IllegalStateException error = new IllegalStateException("lab " + runId + " teardown was incomplete");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    /**
     * A snapshot of every host for failure reports: addresses, routes, neighbours, bridge FDB and nftables rules,
     * plus the output of the processes the lab started.
     */
    public String describe() {
        StringBuilder text = new StringBuilder("lab ").append(runId).append('\n');
        for (LabHost host : hosts()) {
            text.append("== host ").append(host.shortName()).append(" (netns ").append(host.name()).append(")\n");
            for (String[] command : List.of(new String[] {"ip", "-br", "link"}, new String[] {"ip", "-br", "addr"},
                    new String[] {"ip", "route"}, new String[] {"ip", "neigh"}, new String[] {"bridge", "fdb", "show"},
                    new String[] {"nft", "list", "ruleset"})) {
                ExecResult result = host.exec(command);
                text.append("$ ").append(String.join(" ", command)).append('\n')
                    .append(result.ok() ? result.stdout() : result.stderr());
            }
        }
        for (LabProcess process : processes) {
            text.append("== process ").append(process).append(process.isAlive() ? " (running)" : " (exited)")
                .append('\n').append(process.output());
        }
        return text.toString();
    }

    /** Whether {@link #close()} ran. */
    public synchronized boolean isClosed() {
        return closed;
    }

    synchronized List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    LabProcess track(LabProcess process) {
        processes.add(process);
        return process;
    }

    Capture track(Capture capture) {
        captures.add(capture);
        return capture;
    }

    Path workDir() {
        return workDir;
    }

    synchronized Path newLogFile(String hostName) {
        return workDir.resolve(hostName + "-" + (++logFiles) + ".log");
    }

    private NetNs createNamespace(String namespace) {
        LabRegistry.recordNamespace(this, namespace);
        namespaces.add(namespace);
        NetNs netns = NamedNamespaces.create(namespace);
        handles.add(netns);
        return netns;
    }

    private static void configure(LabHost host, String iface, Optional<String> cidr) {
        if (cidr.isPresent()) {
            host.addAddress(iface, cidr.get());
        } else {
            host.netns().run(() -> InterfaceConfig.up(iface));
        }
    }

    private void requireMember(LabHost host) {
        if (host.lab() != this) {
            throw new IllegalArgumentException(host + " belongs to another lab");
        }
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("lab " + runId + " is closed");
        }
    }

    private static void attempt(List<Throwable> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | AssertionError e) {
            failures.add(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomBase36(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    @Override
    public String toString() {
        return "Lab[" + runId + ", hosts " + hosts.keySet() + "]";
    }
}
