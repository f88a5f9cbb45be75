package io.meshd;

import io.meshd.gossip.GossipNode;
import io.meshd.mesh.LocalAttachments;
import io.meshd.mesh.MeshModel;
import io.meshd.mesh.MeshTable;
import io.meshd.mesh.PublishedState;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.mesh.codec.Subnets;
import io.meshd.shims.NetNs;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** The checks of {@link Mesh}'s requests against the tables (run on the mesh thread), with clear messages. */
final class Requests {
    private Requests() {
    }

    /** Writes an entry; one too large for a gossip packet is refused as INVALID. */
    static void put(GossipNode gossip, MeshTable table, String key, byte[] value) {
        shape(() -> {
            gossip.put(table.table(), key, value);
            return null;
        });
    }

    static InetAddress cidrAddress(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw MeshRequestException.invalid("subnet '" + cidr + "' is not ADDRESS/PREFIX");
        }
        return literal(cidr.substring(0, slash), "subnet '" + cidr + "'");
    }

    static int cidrPrefix(String cidr) {
        try {
            return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
        } catch (NumberFormatException e) {
            throw MeshRequestException.invalid("subnet '" + cidr + "' has a bad prefix length", e);
        }
    }

    /** An IP literal; names are refused, never looked up. */
    static InetAddress literal(String text, String what) {
        boolean literal = text.matches("[0-9.]+") || text.contains(":") && text.matches("[0-9a-fA-F:.]+");
        if (!literal) {
            throw MeshRequestException.invalid(what + ": '" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw MeshRequestException.invalid(what + ": '" + text + "' is not an IP address", e);
        }
    }

    /**
     * How the facade names a namespace: a name as {@code ip netns} made it; {@code /var/run/netns/NAME} or
     * {@code /run/netns/NAME} as NAME; any other absolute path (a network namespace file such as
     * {@code /proc/PID/ns/net} or a bind mount elsewhere) as the normalised path.
     */
    static String namespaceName(String namespace) {
        if (namespace.isEmpty()) {
            throw MeshRequestException.invalid("namespace is empty");
        }
        if (!namespace.contains("/")) {
            return namespace;
        }
        if (!namespace.startsWith("/")) {
            throw MeshRequestException.invalid("namespace '" + namespace + "' is neither a name nor an absolute path");
        }
        Path p = Path.of(namespace).normalize();
        Path parent = p.getParent();
        if (parent != null && (parent.equals(Path.of("/var/run/netns")) || parent.equals(Path.of("/run/netns")))) {
            return p.getFileName().toString();
        }
        if (p.getFileName() == null) {
            throw MeshRequestException.invalid("namespace path '" + namespace + "' names no file");
        }
        return p.toString();
    }

    /** Whether {@link #namespaceName} made a path (which has no name to give an endpoint). */
    static boolean isPath(String namespaceName) {
        return namespaceName.startsWith("/");
    }

    /**
     * Opens the namespace and checks it is one this node may attach: it exists, is a network namespace, and is not
     * this node's own (inode {@code selfInode}).
     */
    static NetNs openNamespace(String ns, long selfInode) {
        Path file = isPath(ns) ? Path.of(ns) : Path.of("/var/run/netns", ns);
        if (!Files.exists(file)) {
            throw MeshRequestException.notFound("no network namespace '" + ns + "'" + (isPath(ns) ? ""
                : " (" + file + ")"));
        }
        NetNs h;
        try {
            h = NetNs.of(ns);
        } catch (RuntimeException e) {
            throw MeshRequestException.invalid("cannot open network namespace '" + ns + "': " + e.getMessage(), e);
        }
        try {
            // A namespace file lives on nsfs (one device for all); /proc/PID/ns/* fds read as TYPE:[inode], a bind
            // mount's as its path (setns refuses another type of namespace bound there).
            Path fd = Path.of("/proc/self/fd/" + h.fd());
            String link = Files.readSymbolicLink(fd).toString();
            boolean nsfs = Files.getAttribute(fd, "unix:dev").equals(Files.getAttribute(Path.of("/proc/self/ns/net"),
                "unix:dev"));
            if (!nsfs || link.matches("[a-z_]+:\\[[0-9]+\\]") && !link.startsWith("net:[")) {
                throw MeshRequestException.invalid("'" + ns + "' is not a network namespace");
            }
            if (h.inode() == selfInode) {
                throw MeshRequestException.invalid("'" + ns + "' is this node's own network namespace");
            }
            return h;
        } catch (IOException | RuntimeException e) {
            h.close();
            if (e instanceof MeshRequestException m) {
                throw m;
            }
            throw MeshRequestException.invalid("cannot check network namespace '" + ns + "': " + e, e);
        }
    }

    /** Checks the namespace can be attached: {@link #openNamespace}, and not attached under another name. */
    static void checkNamespace(LocalAttachments locals, String ns, long selfInode) {
        try (NetNs handle = openNamespace(ns, selfInode)) {
            String same = locals.attachedAs(ns, handle.inode());
            if (same != null) {
                throw MeshRequestException.conflict("namespace '" + ns + "' is the network namespace attached as '"
                    + same + "': use that name");
            }
        }
    }

    /** The inode of the calling thread's network namespace, or -1. */
    static long currentNamespace() {
        try (NetNs self = NetNs.current()) {
            return self.inode();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Runs a constructor's shape checks: their {@link IllegalArgumentException} becomes an INVALID refusal. */
    static <T> T shape(java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (MeshRequestException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw MeshRequestException.invalid(e.getMessage(), e);
        }
    }

    /** The /24 an automatic subnet is (see {@link #automaticSubnet}). */
    static final int AUTOMATIC_PREFIX = 24;

    /**
     * The subnet of a network created without one: {@code 10.(vni >> 8 & 0xff).(vni & 0xff).0/24}, or, when that
     * overlaps a network's subnet (an explicit subnet took it, or a VNI 65 536 apart), the next /24 of 10.0.0.0/8 up
     * (wrapping) that overlaps none.
     */
    static InetAddress automaticSubnet(MeshModel m, int vni) {
        int start = vni & 0xffff;
        for (int i = 0; i <= 0xffff; i++) {
            int n = (start + i) & 0xffff;
            InetAddress a = Subnets.address(10 << 24 | n << 8);
            boolean free = m.networks().values().stream()
                .noneMatch(v -> Subnets.overlap(v.subnet(), v.prefixLength(), a, AUTOMATIC_PREFIX));
            if (free) {
                return a;
            }
        }
        throw MeshRequestException.conflict("every /24 of 10.0.0.0/8 overlaps a network: give a subnet");
    }

    /** Checks a new network; {@code subnet} null: automatic, not chosen yet. */
    static void checkNewNetwork(MeshModel m, String name, InetAddress subnet, int prefix, OptionalInt vni) {
        if (m.networks().containsKey(name)) {
            throw MeshRequestException.conflict("network '" + name + "' exists already");
        }
        for (Map.Entry<String, NetworkValue> n : m.networks().entrySet()) {
            NetworkValue v = n.getValue();
            if (subnet != null && Subnets.overlap(v.subnet(), v.prefixLength(), subnet, prefix)) {
                throw MeshRequestException.conflict("subnet " + subnet.getHostAddress() + "/" + prefix
                    + " overlaps network '" + n.getKey() + "' (" + v.cidr() + ")");
            }
            if (vni.isPresent() && v.vni() == vni.getAsInt()) {
                throw MeshRequestException.conflict("VNI " + vni.getAsInt() + " is network '" + n.getKey() + "''s");
            }
        }
        if (subnet != null && !(subnet instanceof Inet4Address)) {
            throw MeshRequestException.invalid("the overlay is IPv4 only: " + subnet.getHostAddress());
        }
    }

    /** Every address in use on a network: endpoints' and VIPs. */
    static Set<InetAddress> used(MeshModel m, String network) {
        Set<InetAddress> used = new HashSet<>();
        m.endpoints().forEach((k, e) -> {
            if (k.network().equals(network)) {
                used.add(e.value().ip());
            }
        });
        m.services().values().forEach(v -> v.networks().forEach(nv -> {
            if (nv.network().equals(network) && nv.vip() != null) {
                used.add(nv.vip());
            }
        }));
        return used;
    }

    static NetworkValue checkAttach(MeshModel m, EndpointKey key, InetAddress ip) {
        NetworkValue net = network(m, key.network());
        checkAddress(m, net, key.network(), ip, "address", "");
        if (m.endpoints().containsKey(key)) {
            throw MeshRequestException.conflict("endpoint '" + key.endpoint() + "' exists on '" + key.network()
                + "' already");
        }
        return net;
    }

    static void checkService(MeshModel m, String name, String network, InetAddress vip,
        List<ServiceValue.Port> ports) {
        NetworkValue net = network(m, network);
        if (m.services().containsKey(name)) { // as docker does: changing a service is `service update` or rm + create
            throw MeshRequestException.conflict("service '" + name + "' exists already");
        }
        if (vip != null) {
            checkAddress(m, net, network, vip, "VIP", name);
        }
        for (ServiceValue.Port p : ports) { // a published port answers on every node: one service each
            String proto = p.protocol() == ServiceValue.Port.TCP ? "tcp" : "udp";
            PublishedState.publisher(m, name, p).ifPresent(other -> {
                throw MeshRequestException.conflict("port " + p.published() + "/" + proto + " is published by service '"
                    + other + "' already");
            });
        }
    }

    static NetworkValue network(MeshModel m, String name) {
        NetworkValue net = m.networks().get(name);
        if (net == null) {
            throw MeshRequestException.notFound("no network '" + name + "'");
        }
        return net;
    }

    private static void checkAddress(MeshModel m, NetworkValue net, String network, InetAddress ip, String what,
        String service) {
        if (!(ip instanceof Inet4Address) || !Subnets.contains(net.subnet(), net.prefixLength(), ip)) {
            throw MeshRequestException.invalid(what + " " + ip.getHostAddress() + " is not in '" + network + "' ("
                + net.cidr() + ")");
        }
        int host = Subnets.ipv4(ip) & ((1 << (32 - net.prefixLength())) - 1);
        if (net.prefixLength() < 31 && (host == 0 || host == (1 << (32 - net.prefixLength())) - 1)) {
            throw MeshRequestException.invalid(what + " " + ip.getHostAddress() + " is the network or broadcast "
                + "address of " + net.cidr());
        }
        m.endpoints().forEach((k, e) -> {
            if (k.network().equals(network) && e.value().ip().equals(ip)) {
                throw MeshRequestException.conflict(what + " " + ip.getHostAddress() + " is endpoint '"
                    + k.endpoint() + "''s");
            }
        });
        m.services().forEach((s, v) -> v.networks().forEach(nv -> {
            if (!s.equals(service) && nv.network().equals(network) && ip.equals(nv.vip())) {
                throw MeshRequestException.conflict(what + " " + ip.getHostAddress() + " is the VIP of '" + s + "'");
            }
        }));
    }


    /** The service with {@code changes} merged into its weights, checked. */
    static ServiceValue weighted(MeshModel m, String service, Map<String, Integer> changes) {
        ServiceValue cur = m.services().get(service);
        if (cur == null) {
            throw MeshRequestException.notFound("no service '" + service + "'");
        }
        if (changes.isEmpty()) {
            throw MeshRequestException.invalid("no weights given");
        }
        Set<String> tasks = new HashSet<>();
        for (Backend b : backends(m, service)) {
            tasks.add(b.endpoint());
        }
        for (Map.Entry<String, Integer> c : changes.entrySet()) {
            Integer w = c.getValue();
            if (w == null || w < 0 || w > ServiceValue.MAX_WEIGHT) {
                throw MeshRequestException.invalid("weight of '" + c.getKey() + "' must be 0.."
                    + ServiceValue.MAX_WEIGHT + ": " + w);
            }
            if (!tasks.contains(c.getKey()) && !cur.weights().containsKey(c.getKey())) {
                throw MeshRequestException.invalid("endpoint '" + c.getKey() + "' is not a task of service '"
                    + service + "'");
            }
        }
        try {
            return cur.withWeights(changes);
        } catch (IllegalArgumentException e) {
            throw MeshRequestException.invalid("service '" + service + "': " + e.getMessage(), e);
        }
    }

    /** The service's backends: its tasks on its networks, by network then name. */
    static List<Backend> backends(MeshModel m, String service) {
        ServiceValue v = m.services().get(service);
        if (v == null) {
            throw MeshRequestException.notFound("no service '" + service + "'");
        }
        Set<String> networks = new HashSet<>();
        v.networks().forEach(nv -> networks.add(nv.network()));
        List<Backend> out = new ArrayList<>();
        m.endpoints().forEach((k, e) -> {
            EndpointValue ev = e.value();
            if (networks.contains(k.network()) && service.equals(ev.service())) {
                out.add(new Backend(k.endpoint(), k.network(), ev.ip(), ev.node(), v.weightOf(k.endpoint()),
                    e.visible()));
            }
        });
        out.sort(Comparator.comparing(Backend::network).thenComparing(Backend::endpoint));
        return out;
    }

    /** Whether network {@code name} exists; refuses (CONFLICT) while endpoints are attached to it. */
    static boolean checkRemoveNetwork(MeshModel m, String name) {
        long attached = PublishedState.attachedBesidesIngress(m.endpoints().keySet(), name);
        if (attached > 0) {
            throw MeshRequestException.conflict("network '" + name + "' has " + attached + " endpoint(s) attached");
        }
        return m.networks().containsKey(name);
    }

    /** The endpoints of live nodes, by key. */
    static Map<EndpointKey, EndpointValue> visibleEndpoints(MeshModel m) {
        Map<EndpointKey, EndpointValue> out = new java.util.LinkedHashMap<>();
        m.endpoints().forEach((k, e) -> {
            if (e.visible()) {
                out.put(k, e.value());
            }
        });
        return out;
    }
}
