package io.meshd.cli;

import io.meshd.daemon.RoutingMesh;
import io.meshd.daemon.VipSwitchHook;
import io.meshd.lb.FlowPinTable;
import io.meshd.lb.MaglevTable;
import io.meshd.lb.ServiceSpec;
import io.meshd.lb.ServiceTable;
import io.meshd.net.IoTransport;
import io.meshd.vxlan.codec.VxlanHeader;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.tap.TapAttacher;
import io.meshd.vxlan.tap.TapPollers;
import io.meshd.vxlan.vtep.PortRange;
import io.meshd.vxlan.vtep.UdpVtep;
import io.meshd.vxlan.vtep.VtepNode;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code meshd vtep}: a static VXLAN overlay without the control plane, the way {@code ip link add ... type vxlan}
 * is used. Runs in the namespace it is started in until SIGINT/SIGTERM, then removes what it created and prints
 * its counters.
 */
@Command(name = "vtep", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs a user-space VXLAN tunnel endpoint with static peers until SIGINT/SIGTERM.",
        "Its UDP sockets bind to --local in the namespace it is started in; attached interfaces are created in the "
            + "given namespaces and removed on exit, when the counters are printed."})
final class VtepCommand implements Callable<Integer> {

    private static final int MAX_VNI = VxlanHeader.MAX_VNI;
    private static final int MAX_BUSY_POLL_MICROS = UdpVtep.MAX_BUSY_POLL_MICROS;
    private static final long STOP_WAIT_SECONDS = 15;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--vni", required = true, paramLabel = "VNI",
        description = "VXLAN network identifier, 0..16777215.")
    private int vni;

    @Option(names = "--local", required = true, paramLabel = "IP",
        description = "Underlay IPv4 address to bind (must be on an interface here).")
    private String local;

    @Option(names = "--port", defaultValue = "4789", paramLabel = "PORT",
        description = "VXLAN UDP port, sent to and received on (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--remote", paramLabel = "IP", description = "A remote VTEP for flooding; repeatable.")
    private List<String> remotes = new ArrayList<>();

    @Option(names = "--attach", paramLabel = "NETNS:IFNAME:IP/PREFIX[:MAC]",
        description = "Create IFNAME (empty: eth0) in namespace NETNS with this address and attach it; repeatable. "
            + "MAC defaults to 02:42 + the IPv4 bytes.")
    private List<String> attachments = new ArrayList<>();

    @Option(names = "--neighbor", paramLabel = "IP=MAC@VTEP",
        description = "A known container behind VTEP: answered by the ARP responder, forwarded without "
            + "flooding; repeatable.")
    private List<String> neighbors = new ArrayList<>();

    @Option(names = "--vip", paramLabel = "VIP:PORT[/PROTO]=BACKEND:PORT[=WEIGHT],...",
        description = "A service on the network: connections from attached containers to VIP:PORT (tcp or udp, "
            + "default tcp) go to one of the backends, chosen by Maglev on the client's flow; the backend sees the "
            + "client's address, the client sees the VIP. Backends behind other VTEPs need a --neighbor entry. "
            + "Repeatable.")
    private List<String> vips = new ArrayList<>();

    @Mixin
    private PublishOptions publish = new PublishOptions();

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "auto|io_uring|epoll|nio",
        description = "UDP transport (default: ${DEFAULT-VALUE}, the best available).")
    private String transport;

    @Option(names = "--mtu", defaultValue = "1450", paramLabel = "MTU",
        description = "MTU of attached interfaces (default: ${DEFAULT-VALUE} = 1500 - 50).")
    private int mtu;

    @Option(names = "--no-learning", description = "Do not learn remote MACs from received frames.")
    private boolean noLearning;

    @Option(names = "--no-offloads",
        description = "Read frames one by one from the TAPs, without TSO super-frames and partial checksums.")
    private boolean noOffloads;

    @Option(names = "--source-ports", defaultValue = "61000-61007", paramLabel = "LOW-HIGH",
        description = "Outer UDP source ports, picked by a hash of the inner flow; one socket each, at most 64 "
            + "(default: ${DEFAULT-VALUE}).")
    private String sourcePorts;

    @Option(names = "--receive-sockets", paramLabel = "N",
        description = "Sockets sharing the VXLAN port with SO_REUSEPORT, one thread each (default: one per core, "
            + "at most " + VtepNode.MAX_DEFAULT_PARALLELISM + ").")
    private Integer receiveSockets;

    @Option(names = "--busy-poll-us", defaultValue = "0", paramLabel = "MICROS",
        description = "After handling datagrams, the receive threads keep polling their sockets this many "
            + "microseconds before they sleep: fewer wake-ups for up to that much of a core per thread after each "
            + "burst (epoll only; 0..1000, default: ${DEFAULT-VALUE}, off).")
    private int busyPollMicros;

    @Option(names = "--queues", paramLabel = "N",
        description = "Queues per attached TAP (IFF_MULTI_QUEUE); the kernel spreads a container's flows over them "
            + "and the pollers read them on different cores (default: one per core, at most "
            + VtepNode.MAX_DEFAULT_PARALLELISM + ").")
    private Integer queues;

    @Option(names = "--pollers", paramLabel = "N",
        description = "Threads (epoll) that read every queue of every attached TAP, however many are attached "
            + "(default: one per core).")
    private Integer pollers;

    /** Everything parsed and checked, before anything is created. */
    private static final class Plan {
        Inet4Address local;
        IoTransport transport;
        PortRange sourcePorts;
        final List<Integer> remotes = new ArrayList<>();
        final List<Attachment> attachments = new ArrayList<>();
        final List<long[]> neighbors = new ArrayList<>();
        final List<ServiceSpec> services = new ArrayList<>();
        PublishOptions.Plan published;
    }

    @Override
    public Integer call() {
        Plan plan = validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        UdpVtep.Builder options = UdpVtep.builder().local(plan.local).port(port).transport(plan.transport)
            .sourcePorts(plan.sourcePorts).receiveSockets(receiveSockets).busyPollMicros(busyPollMicros);
        AtomicReference<VtepNode> started = new AtomicReference<>();
        VipSwitchHook vipHook = plan.services.isEmpty() ? null : vipHook(plan.services, started);
        VtepNode node;
        try {
            node = VtepNode.builder().vtep(options).learning(!noLearning).tapOffloads(!noOffloads)
                .tapQueues(queues).tapPollers(pollers).frameHook(vipHook).start();
            started.set(node);
        } catch (RuntimeException e) {
            err.println("meshd vtep: cannot start the VTEP: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested.countDown();
            awaitQuietly(stopped);
        }, "meshd-vtep-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String counters = "";
        int status = 0;
        RoutingMesh mesh = null;
        try {
            configure(node, plan, out);
            mesh = publish.start(plan.published, node, vni, plan.transport);
            if (node.vtep().busyPollMicros() > 0) {
                out.printf("receive threads poll %d us after I/O before they sleep%n", node.vtep().busyPollMicros());
            }
            out.printf("meshd vtep: VNI %d on %s:%d via %s, %d remote(s), %d attachment(s); stop with Ctrl-C%n",
                vni, plan.local.getHostAddress(), node.vtep().port(), node.vtep().transport(), plan.remotes.size(),
                plan.attachments.size());
            out.flush();
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            err.println("meshd vtep: " + e.getMessage());
            status = 1;
        } finally {
            counters = node.formatCounters() + (vipHook == null ? ""
                : "lb:" + formatValues(vipHook.counters().snapshot()) + System.lineSeparator())
                + (mesh == null ? "" : PublishOptions.formatCounters(mesh, plan.published.ports()));
            closeQuietly(mesh, err);
            node.close();
            out.println("meshd vtep: stopped, removed every interface it created; counters:");
            out.print(counters);
            out.flush();
            stopped.countDown();
            ShutdownHooks.remove(hook);
        }
        return status;
    }

    /** The network, its remotes, neighbors, VIPs and attachments, each attachment and service reported. */
    private void configure(VtepNode node, Plan plan, PrintWriter out) {
        node.addNetwork(vni);
        for (int remote : plan.remotes) {
            node.addRemote(vni, remote);
        }
        for (long[] n : plan.neighbors) {
            node.addNeighbor(vni, (int) n[0], n[1], (int) n[2]);
        }
        for (ServiceSpec service : plan.services) {
            VipSwitchHook.announce(node.fabric(), vni, service.key().vip());
            out.printf("service %s -> %d backend(s)%n", service.key(), service.backends().size());
        }
        for (Attachment a : plan.attachments) {
            node.attach(vni, a);
            out.printf("attached %s%n", a);
        }
    }

    private Plan validate() {
        CommandLine cli = spec.commandLine();
        Plan plan = new Plan();
        inRange("--vni", vni, 0, MAX_VNI);
        inRange("--port", port, 1, 65535);
        if (receiveSockets == null) {
            receiveSockets = VtepNode.defaultParallelism();
        }
        if (queues == null) {
            queues = VtepNode.defaultParallelism();
        }
        if (pollers == null) {
            pollers = TapPollers.defaultCount();
        }
        inRange("--receive-sockets", receiveSockets, 1, 64);
        inRange("--busy-poll-us", busyPollMicros, 0, MAX_BUSY_POLL_MICROS);
        inRange("--pollers", pollers, 1, TapPollers.MAX_POLLERS);
        inRange("--queues", queues, 1, TapAttacher.MAX_QUEUES);
        try {
            plan.local = inet4(parseIp("--local", local));
            plan.transport = IoTransport.parse(transport);
            plan.transport.resolve();
            plan.sourcePorts = PortRange.parse(sourcePorts);
            if (plan.sourcePorts.size() > 64) {
                throw new IllegalArgumentException("--source-ports holds more than 64 ports: " + sourcePorts);
            }
            for (String r : remotes) {
                plan.remotes.add(parseIp("--remote", r));
            }
            for (String a : attachments) {
                plan.attachments.add(Attachment.parse(a, mtu));
            }
            for (String n : neighbors) {
                plan.neighbors.add(parseNeighbor(n));
            }
            plan.published = publish.plan(vni, mtu);
            for (String v : vips) {
                ServiceSpec spec = ServiceSpec.parse(v);
                if (plan.services.stream().anyMatch(other -> other.key().equals(spec.key()))) {
                    throw new IllegalArgumentException("--vip " + spec.key() + " is given twice");
                }
                plan.services.add(spec);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(cli, e.getMessage(), e);
        }
        return plan;
    }

    private void inRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + " must be " + min + ".." + max + ", not "
                + value);
        }
    }

    /** The VIP NAT over {@code services}, finding backend MACs in the switch of the node once it started. */
    private static VipSwitchHook vipHook(List<ServiceSpec> services, AtomicReference<VtepNode> node) {
        ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        for (ServiceSpec service : services) {
            table.put(service.key(), service.backends());
        }
        return new VipSwitchHook(table, FlowPinTable.withDefaults(), () -> node.get().fabric().neighborTable());
    }

    static String formatValues(Map<String, Long> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((name, value) -> sb.append(' ').append(name).append('=').append(value));
        return sb.toString();
    }

    private static int parseIp(String option, String text) {
        try {
            return Ipv4.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not an IPv4 address", e);
        }
    }

    /** {@code IP=MAC@VTEP} as {ip, mac, vtep}. */
    private static long[] parseNeighbor(String text) {
        int eq = text.indexOf('=');
        int at = text.lastIndexOf('@');
        if (eq < 0 || at < eq) {
            throw new IllegalArgumentException("--neighbor '" + text + "' is not IP=MAC@VTEP");
        }
        int ip = parseIp("--neighbor", text.substring(0, eq));
        long mac;
        try {
            mac = MacAddress.parse(text.substring(eq + 1, at));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--neighbor '" + text + "': bad MAC '" + text.substring(eq + 1, at)
                + "'", e);
        }
        if (!MacAddress.isValidSource(mac)) {
            throw new IllegalArgumentException("--neighbor '" + text + "': the MAC must be a unicast station address");
        }
        return new long[] {ip, mac, parseIp("--neighbor", text.substring(at + 1))};
    }

    private static Inet4Address inet4(int ip) {
        try {
            // A dotted literal: parsed, never looked up.
            return (Inet4Address) InetAddress.getByName(Ipv4.format(ip));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(RoutingMesh mesh, PrintWriter err) {
        try {
            if (mesh != null) {
                mesh.close();
            }
        } catch (RuntimeException e) {
            err.println("meshd vtep: removing the routing mesh: " + e.getMessage());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
