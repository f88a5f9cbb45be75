package io.meshd.cli;

import io.meshd.Mesh;
import io.meshd.MeshOptions;
import io.meshd.dns.DnsServer;
import io.meshd.gossip.DetectionBound;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.MemberState;
import io.meshd.lb.Protocol;
import io.meshd.lb.Service;
import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceKey;
import io.meshd.lb.proxy.ProxyBackend;
import io.meshd.mesh.MeshTable;
import io.meshd.mesh.PublishedPorts;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import io.meshd.shims.HostRequirements;
import io.meshd.shims.NetNs;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Demo step for the whole mesh through the {@link Mesh} facade: three nodes in this JVM form a cluster, a network and
 * a service with one endpoint on each node, every node's DNS view answering for the service, every node balancing
 * the VIP over the three, then one node crashing and its endpoint leaving the others' answers within the gossip
 * detection bound.
 *
 * <p>As root (and unless {@code --no-namespaces}) each node runs in its own namespace on an underlay bridge with the
 * routing mesh on ({@link MeshTraffic#underlay}); the endpoints are namespaces attached with {@link Mesh#attach},
 * each running a TCP server; a client namespace asks DNS at 127.0.0.11 and connects through the VIP, and an outside
 * client on the underlay connects to every node's published port, before and after the crash. Otherwise the nodes
 * share this process's namespace on loopback without the routing mesh, and the endpoints are written to the
 * {@code endpoints} table the way {@link Mesh#attach} writes them, without a TAP or a namespace: the control plane,
 * DNS and the load balancer's tables are real, no traffic is sent. Each node's record view is served on a loopback
 * {@link DnsServer} and asked with {@link DnsProbe}.
 */
final class MeshDemoStep implements DemoStep {

    static final String[] NODES = {"n1", "n2", "n3"};
    static final String VIP = "10.0.9.100";
    private static final String[] TASKS = {"10.0.9.11", "10.0.9.12", "10.0.9.13"};
    private static final int VNI = 4242;
    private static final int CONNECTIONS = 12;
    /** Scheduling slack on a loaded machine on top of the computed detection bound. */
    static final Duration ALLOWANCE = Duration.ofSeconds(5);

    private final boolean namespacesAllowed;
    private final List<Mesh> nodes = new ArrayList<>();
    private final List<DnsServer> views = new ArrayList<>();
    private final List<String> observed = new ArrayList<>();
    private MeshTraffic traffic;
    /** As root: each node's namespace, then the outside client's (made for the run); else null. */
    private NetNs[] hosts;
    private Optional<String> missing;

    MeshDemoStep(boolean namespacesAllowed) {
        this.namespacesAllowed = namespacesAllowed;
    }

    @Override
    public String title() {
        return "The mesh: three nodes, a network, a service on every node, DNS for it, a published port, a node"
            + " crashing";
    }

    /** Fast gossip for one machine: the demo's settings, printed so the times below can be read against them. */
    static GossipConfig gossip(String name) {
        return GossipConfig.local().name(name).probeInterval(Duration.ofMillis(200))
            .probeTimeout(Duration.ofMillis(100)).gossipInterval(Duration.ofMillis(50)).suspicionMult(3)
            .pushPullInterval(Duration.ofSeconds(2)).streamTimeout(Duration.ofMillis(500)).build();
    }

    @Override
    public boolean run(PrintWriter out) throws Exception {
        out.println("  gossip: probe every 200 ms, timeout 100 ms, gossip every 50 ms, suspicion multiplier 3,"
            + " push-pull every 2 s (fast settings for one machine; a LAN cluster uses the LAN preset)");
        nodes.clear();
        views.clear();
        observed.clear();
        missing = namespacesAllowed ? HostRequirements.missing() : Optional.of("--no-namespaces");
        try {
            if (missing.isEmpty()) {
                traffic = new MeshTraffic();
                hosts = traffic.underlay(NODES.length);
                out.printf("  underlay: namespaces mdh1%1$s, mdh2%1$s, mdh3%1$s (the nodes, %2$s1-3) and mdout%1$s"
                    + " (an outside client, %2$s4) on a bridge in mdseg%1$s%n", traffic.suffix(), MeshTraffic.UNDERLAY);
            }
            boolean ok = cluster(out);
            ok = ok && service(out);
            ok = ok && dns(out);
            ok = ok && (traffic == null || traffic(out));
            ok = ok && (traffic == null || published(out));
            ok = ok && crash(out);
            out.println("  observed:");
            observed.forEach(line -> out.println("    " + line));
            return ok;
        } finally {
            for (DnsServer s : views) {
                s.close();
            }
            for (int i = nodes.size() - 1; i >= 0; i--) {
                nodes.get(i).close();
            }
            if (traffic != null) {
                traffic.close();
                traffic = null;
                hosts = null;
                out.println("  removed the demo namespaces");
            }
        }
    }

    private boolean cluster(PrintWriter out) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < NODES.length; i++) {
            String n = NODES[i];
            MeshOptions.Builder o = MeshOptions.builder().gossip(gossip(n)).clusterDomain("mesh")
                .syncTimeout(Duration.ofSeconds(1));
            if (hosts == null) {
                // one namespace for the three: a published port could bind only once, so no routing mesh
                InetAddress lo = InetAddress.getByName("127.0.0.1");
                o.nodeName(n).gossipBind(new InetSocketAddress(lo, 0)).vtepAddress((Inet4Address) lo).vtepPort(0)
                    .routingMesh(false);
            } else {
                // each node's ingress namespace (meshd-in-<node>) is host-wide: node names unique to the run
                InetAddress at = InetAddress.getByName(MeshTraffic.underlayAddress(i));
                o.nodeName(n + "-" + traffic.suffix()).gossipBind(new InetSocketAddress(at, 7946))
                    .vtepAddress((Inet4Address) at);
            }
            if (!nodes.isEmpty()) {
                o.seed(nodes.get(0).gossipAddress());
            }
            MeshOptions opts = o.build();
            nodes.add(hosts == null ? Mesh.start(opts) : hosts[i].call(() -> Mesh.start(opts)));
        }
        boolean joined = await(() -> nodes.stream().allMatch(m -> alive(m) == NODES.length), 10_000);
        return note(out, joined, String.format("cluster: %d nodes %s see %d alive after %d ms", NODES.length,
            hosts == null ? "on loopback" : "in their own namespaces", NODES.length, ms(t0)));
    }

    private boolean service(PrintWriter out) throws Exception {
        long t0 = System.nanoTime();
        nodes.get(0).createNetwork("front", "10.0.9.0/24", OptionalInt.of(VNI));
        out.printf("  n1 created network 'front' 10.0.9.0/24 (VNI %d)%n", VNI);
        boolean spread = await(() -> nodes.stream().allMatch(m -> m.networks().containsKey("front")), 10_000);
        if (!note(out, spread, String.format("network: 'front' created on n1 reached every node after %d ms",
            ms(t0)))) {
            return false;
        }
        nodes.get(1).createService("web", "front", InetAddress.getByName(VIP), ServiceValue.Mode.VIP,
            List.of(new ServiceValue.Port(80, 8080, ServiceValue.Port.TCP)));
        out.printf("  n2 created service 'web', VIP %s:80 -> 8080 on 'front'%n", VIP);
        if (missing.isEmpty()) {
            String ns = traffic.attachClient(nodes.get(0));
            out.printf("  n1: namespace %s attached as 'client' %s%n", ns, MeshTraffic.CLIENT_IP);
            for (int i = 0; i < NODES.length; i++) {
                ns = traffic.attachBackend(nodes.get(i), "web." + (i + 1), TASKS[i], 8080);
                out.printf("  %s: namespace %s attached as web.%d %s, a TCP server on :8080 in it%n", NODES[i], ns,
                    i + 1, TASKS[i]);
            }
        } else {
            for (int i = 0; i < NODES.length; i++) {
                InetAddress ip = InetAddress.getByName(TASKS[i]);
                EndpointValue v = new EndpointValue(ip, MacAddress.fromIpv4(Ipv4.parse(TASKS[i])), NODES[i], "web",
                    List.of());
                nodes.get(i).parts().gossip().put(MeshTable.ENDPOINTS.table(),
                    new EndpointKey("front", "web." + (i + 1)).key(), v.encode());
                out.printf("  %s: endpoint web.%d %s of service web%n", NODES[i], i + 1, TASKS[i]);
            }
            out.println("  skipped: namespaces, TAPs and traffic through the VIP (" + missing.get() + "): the"
                + " endpoints are written to gossip as attach writes them, without a container behind them");
            out.println("  skipped: the routing mesh's published port (" + missing.get() + "): it needs an ingress"
                + " namespace attached to the overlay");
        }
        int vip = Ipv4.parse(VIP);
        boolean balanced = await(() -> nodes.stream().allMatch(m -> healthy(m, vip) == NODES.length), 10_000);
        return note(out, balanced, "load balancer: every node balances " + VIP
            + ":80 over the 3 endpoints, all healthy");
    }

    private boolean dns(PrintWriter out) throws Exception {
        for (Mesh m : nodes) {
            views.add(DnsServer.builder().listen(new InetSocketAddress("127.0.0.1", 0))
                .records(m.parts().records()).networks(Set.of("front")).domain("mesh").threads(1).start());
        }
        Set<String> all = Set.of(TASKS);
        boolean ok = true;
        for (int i = 0; i < NODES.length; i++) {
            InetSocketAddress at = views.get(i).addresses().get(0);
            Set<String> vip = answerUntil(at, "web", Set.of(VIP), 10_000);
            Set<String> tasks = answerUntil(at, "tasks.web", all, 10_000);
            out.printf("  %s's records served on %s: web -> %s, tasks.web -> %s%n", NODES[i], at, vip, tasks);
            ok &= note(out, vip.equals(Set.of(VIP)) && tasks.equals(all),
                String.format("dns at %s: web -> the VIP, tasks.web -> the 3 endpoints on 3 nodes", NODES[i]));
        }
        return ok;
    }

    private boolean traffic(PrintWriter out) throws Exception {
        Set<String> vip = answerUntil(() -> traffic.ask("web"), Set.of(VIP), 10_000);
        Set<String> tasks = answerUntil(() -> traffic.ask("tasks.web"), Set.of(TASKS), 10_000);
        out.printf("  from the client namespace, 127.0.0.11: web -> %s, tasks.web -> %s%n", vip, tasks);
        boolean ok = note(out, vip.equals(Set.of(VIP)) && tasks.equals(Set.of(TASKS)),
            "dns in a container: web -> the VIP, tasks.web -> the 3 endpoints");
        Map<String, Integer> seen = traffic.connect(VIP, 80, CONNECTIONS);
        out.printf("  %d TCP connections from the client to %s:80 answered by (backend, client address seen): %s%n",
            CONNECTIONS, VIP, seen);
        boolean spread = !seen.containsKey("failed") && !seen.containsKey("closed") && seen.keySet().stream()
            .map(k -> k.split(" ")[0]).distinct().count() >= 2;
        return ok & note(out, spread, "load balancer: " + CONNECTIONS + " connections to the VIP spread over "
            + seen.keySet().stream().map(k -> k.split(" ")[0]).distinct().count() + " backends on different nodes");
    }

    /**
     * The routing mesh: every node answers on the published port 80 at its underlay address and forwards over the
     * overlay to the backends on all three nodes; the outside client connects to each node's address.
     */
    private boolean published(PrintWriter out) throws Exception {
        long t0 = System.nanoTime();
        Set<String> all = Set.of(TASKS);
        boolean listening = await(() -> nodes.stream().allMatch(m -> publishedBackends(m).equals(all)
            && nodes.get(0).endpoints().containsKey(ingressKey(m))), 30_000);
        out.printf("  every node listens on published port 80 (-> 8080) at its underlay address, the 3 endpoints as"
            + " backends, %d ms after the VIP traffic%n", ms(t0));
        if (!note(out, listening, "routing mesh: every node publishes port 80 with the 3 endpoints as backends")) {
            return false;
        }
        Map<String, Integer> total = new TreeMap<>();
        boolean everyNode = true;
        for (int i = 0; i < NODES.length; i++) {
            EndpointValue in = nodes.get(0).endpoints().get(ingressKey(nodes.get(i)));
            String ingress = in == null ? "none" : in.ip().getHostAddress();
            Map<String, Integer> seen = viaNode(i, CONNECTIONS);
            out.printf("  %d TCP connections from mdout%s to %s:80 (%s, ingress address %s) answered by (backend,"
                + " address seen): %s%n", CONNECTIONS, traffic.suffix(), MeshTraffic.underlayAddress(i), NODES[i],
                ingress, seen);
            everyNode &= answered(seen) && seen.keySet().stream().allMatch(k -> k.endsWith(" " + ingress));
            seen.forEach((k, v) -> total.merge(k.split(" ")[0], v, Integer::sum));
        }
        long backends = total.keySet().stream().filter(k -> k.startsWith("web.")).count();
        boolean ok = note(out, everyNode, "routing mesh: every node answered on published port 80 at its address,"
            + " the backends seeing that node's ingress address");
        return ok & note(out, everyNode && backends >= 2, String.format("routing mesh: %d connections through the 3"
            + " nodes' published port spread over %d backends on different nodes %s", 3 * CONNECTIONS, backends,
            total));
    }

    /** A node's ingress endpoint on network front. */
    private static EndpointKey ingressKey(Mesh m) {
        return new EndpointKey("front", PublishedPorts.endpointName(m.name()));
    }

    /** From the outside client: {@code count} connections to node {@code i}'s published port 80. */
    private Map<String, Integer> viaNode(int i, int count) {
        return MeshTraffic.connect(hosts[NODES.length], MeshTraffic.underlayAddress(i), 80, count);
    }

    /** Every connection answered by a backend (none failed, none closed without a word). */
    private static boolean answered(Map<String, Integer> seen) {
        return !seen.isEmpty() && seen.keySet().stream().allMatch(k -> k.startsWith("web."));
    }

    /** The backends' addresses of a node's published port 80/tcp, empty while it does not listen. */
    private static Set<String> publishedBackends(Mesh m) {
        Set<String> got = new TreeSet<>();
        m.parts().published().proxy(new ServiceKey(0, 80, Protocol.TCP)).ifPresent(p -> {
            for (ProxyBackend b : p.backends().backends()) {
                got.add(b.address().getAddress().getHostAddress());
            }
        });
        return got;
    }

    private boolean crash(PrintWriter out) throws Exception {
        Duration bound = DetectionBound.of(gossip("n3"), NODES.length).plus(ALLOWANCE);
        long t1 = System.nanoTime();
        nodes.get(2).parts().gossip().shutdown();
        out.println("  n3's gossip stops without a word (a crash, like kill -9)");
        Set<String> left = Set.of(TASKS[0], TASKS[1]);
        boolean ok = true;
        for (int i = 0; i < 2; i++) {
            InetSocketAddress at = views.get(i).addresses().get(0);
            Set<String> tasks = answerUntil(at, "tasks.web", left, bound.toMillis());
            long after = ms(t1);
            out.printf("  %s: tasks.web -> %s after %d ms%n", NODES[i], tasks, after);
            ok &= note(out, tasks.equals(left) && after <= bound.toMillis(), String.format(
                "healing at %s: n3's endpoint left the answers after %d ms (bound %d ms: detection bound for 3"
                    + " members + %d s allowance)", NODES[i], after, bound.toMillis(), ALLOWANCE.toSeconds()));
        }
        int vip = Ipv4.parse(VIP);
        boolean unhealthy = await(() -> healthy(nodes.get(0), vip) == 2, 5_000);
        if (traffic != null) {
            Set<String> fromClient = answerUntil(() -> traffic.ask("tasks.web"), left, 5_000);
            out.printf("  from the client namespace: tasks.web -> %s%n", fromClient);
            ok &= note(out, fromClient.equals(left), "healing in a container: tasks.web -> the 2 live endpoints");
            Map<String, Integer> seen = traffic.connect(VIP, 80, CONNECTIONS / 2);
            out.printf("  %d more connections to %s:80: %s%n", CONNECTIONS / 2, VIP, seen);
            ok &= note(out, seen.keySet().stream().allMatch(k -> k.startsWith("web.1 ") || k.startsWith("web.2 ")),
                "healing: new connections reach only the live backends");
            Set<String> live = Set.of(TASKS[0], TASKS[1]);
            boolean dropped = await(() -> publishedBackends(nodes.get(0)).equals(live)
                && publishedBackends(nodes.get(1)).equals(live), 5_000);
            boolean onlyLive = dropped;
            for (int i = 0; i < 2; i++) {
                seen = viaNode(i, CONNECTIONS / 2);
                out.printf("  %d more connections to %s:80 (%s's published port): %s%n", CONNECTIONS / 2,
                    MeshTraffic.underlayAddress(i), NODES[i], seen);
                onlyLive &= answered(seen) && seen.keySet().stream()
                    .allMatch(k -> k.startsWith("web.1 ") || k.startsWith("web.2 "));
            }
            ok &= note(out, onlyLive, "healing: n1's and n2's published ports dropped n3's backend; new connections"
                + " through them reach only the live backends");
        }
        return ok & note(out, unhealthy, "load balancer: n1 keeps n3's backend in " + VIP
            + ":80 but unhealthy (Maglev keeps the others' flows)");
    }

    private boolean note(PrintWriter out, boolean ok, String what) {
        String line = (ok ? "ok      " : "FAILED  ") + what;
        observed.add(line);
        out.println("  " + line);
        out.flush();
        return ok;
    }

    private static long alive(Mesh m) {
        return m.members().stream().filter(x -> x.state() == MemberState.ALIVE).count();
    }

    private static long healthy(Mesh m, int vip) {
        Service s = m.parts().services().serviceOrNull(vip, 80, 6);
        return s == null ? 0 : s.backends().stream().filter(ServiceBackend::healthy).count();
    }

    private interface Question {
        DnsProbe.Answer ask() throws Exception;
    }

    private static Set<String> answerUntil(InetSocketAddress at, String name, Set<String> want, long millis)
        throws Exception {
        return answerUntil(() -> DnsProbe.ask(at, name, 1), want, millis);
    }

    /** Asks until the answer is {@code want} or the time runs out; returns the last answer. */
    private static Set<String> answerUntil(Question q, Set<String> want, long millis) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            Set<String> got = new TreeSet<>(q.ask().addresses());
            if (got.equals(want) || System.nanoTime() > end) {
                return got;
            }
            Thread.sleep(50);
        }
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    private static boolean await(BooleanSupplier cond, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
