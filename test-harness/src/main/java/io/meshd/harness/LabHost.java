package io.meshd.harness;

import io.meshd.shims.InterfaceConfig;
import io.meshd.shims.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host of a {@link Lab}: a network namespace with {@code lo} up, where commands run through
 * {@code ip netns exec}, and Java code through {@link #netns()}.
 */
public final class LabHost {

    private static final Pattern INET = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/\\d+");
    private static final Pattern ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

    private final Lab lab;
    private final String shortName;
    private final String namespace;
    private final NetNs netns;
    private final Map<String, String> addresses = new ConcurrentHashMap<>();

    LabHost(Lab lab, String shortName, String namespace, NetNs netns) {
        this.lab = lab;
        this.shortName = shortName;
        this.namespace = namespace;
        this.netns = netns;
    }

    /** The short name the test gave, e.g. {@code "a"}. */
    public String shortName() {
        return shortName;
    }

    /** The namespace name, unique to the lab's run, e.g. {@code "mlk3x9aa"}; usable with {@code ip -n}. */
    public String name() {
        return namespace;
    }

    /** A handle on the host's namespace, for running Java code (sockets, TAPs, event loops) inside it. */
    public NetNs netns() {
        return netns;
    }

    /** The lab the host belongs to. */
    public Lab lab() {
        return lab;
    }

    /** Runs a command inside the host with the default 30 s timeout. */
    public ExecResult exec(String... argv) {
        return exec(Commands.DEFAULT_TIMEOUT, argv);
    }

    /** Runs a command inside the host; it is killed (exit code -1) if it outlives the timeout. */
    public ExecResult exec(Duration timeout, String... argv) {
        return Commands.run(timeout, inside(argv));
    }

    /** Runs a command inside the host and throws an {@link AssertionError} with its output unless it exits 0. */
    public ExecResult execOk(String... argv) {
        return exec(argv).requireOk();
    }

    /** Starts a background process inside the host; the lab kills it when it closes. */
    public LabProcess startProcess(String... argv) {
        List<String> command = inside(argv);
        Path log = lab.newLogFile(shortName);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            return lab.track(new LabProcess(command, process, log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Adds an IPv4 address, e.g. {@code "10.1.0.1/24"}, to an interface of the host and brings it up. */
    public void addAddress(String iface, String cidr) {
        Cidr parsed = Cidr.parse(cidr);
        netns.run(() -> {
            InterfaceConfig.addIpv4(iface, parsed.address(), parsed.prefix());
            InterfaceConfig.up(iface);
        });
        addresses.putIfAbsent(iface, parsed.address().getHostAddress());
    }

    /** The first IPv4 address of an interface, without the prefix, e.g. {@code "10.1.0.1"}. */
    public String address(String iface) {
        String known = addresses.get(iface);
        if (known != null) {
            return known;
        }
        Matcher m = INET.matcher(execOk("ip", "-o", "-4", "addr", "show", "dev", iface).stdout());
        if (!m.find()) {
            throw new IllegalStateException(iface + " has no IPv4 address in " + namespace);
        }
        return m.group(1);
    }

    /** The first IPv4 address of an interface as an {@link Inet4Address}. */
    public Inet4Address inetAddress(String iface) {
        return Cidr.ipv4(address(iface));
    }

    /** Every IPv4 address of the host except loopback ones. */
    public List<String> addresses() {
        List<String> all = new ArrayList<>();
        Matcher m = INET.matcher(execOk("ip", "-o", "-4", "addr", "show").stdout());
        while (m.find()) {
            if (!m.group(1).startsWith("127.")) {
                all.add(m.group(1));
            }
        }
        return all;
    }

    /** The MAC address of an interface, e.g. {@code "02:42:0a:00:00:02"}. */
    public String mac(String iface) {
        Matcher m = ETHER.matcher(execOk("ip", "-o", "link", "show", "dev", iface).stdout());
        if (!m.find()) {
            throw new IllegalStateException(iface + " has no Ethernet address in " + namespace);
        }
        return m.group(1);
    }

    /** Creates a bridge in the host with the given interfaces as ports, everything up. */
    public void bridge(String name, String... ports) {
        execOk("ip", "link", "add", name, "type", "bridge");
        for (String port : ports) {
            execOk("ip", "link", "set", port, "master", name);
            netns.run(() -> InterfaceConfig.up(port));
        }
        netns.run(() -> InterfaceConfig.up(name));
    }

    /** Starts describing a Linux kernel VXLAN device in this host; {@link KernelVxlan.Builder#create()} makes it. */
    public KernelVxlan.Builder kernelVxlan(String name) {
        return KernelVxlan.builder(this, name);
    }

    /**
     * Creates a kernel VXLAN device in one call:
     * {@code ip link add NAME type vxlan id VNI local IP dstport PORT [nolearning]} plus one all-zeros FDB entry
     * per remote (head-end replication of broadcast and unknown unicast), brought up.
     */
    public KernelVxlan kernelVxlan(String name, int vni, String localIp, int dstPort, boolean learning,
                                   String... remoteIps) {
        KernelVxlan.Builder builder = kernelVxlan(name).vni(vni).local(localIp).dstPort(dstPort).learning(learning);
        for (String remote : remoteIps) {
            builder.remote(remote);
        }
        return builder.create();
    }

    /** Starts a Pcap4J capture on an interface of this host; see {@link Capture}. */
    public Capture.Builder capture(String iface) {
        return Capture.builder(this, iface);
    }

    private List<String> inside(String... argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(List.of(argv));
        return command;
    }

    @Override
    public String toString() {
        return "LabHost[" + shortName + " = netns " + namespace + "]";
    }
}
