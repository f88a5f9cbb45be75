package io.meshd;

import io.meshd.mesh.MeshModel;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.Subnets;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** The checks of {@link Mesh}'s requests against the tables (run on the mesh thread), with clear messages. */
final class Requests {
    private Requests() {
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

    /** The namespace's name: a name, or {@code /var/run/netns/NAME} / {@code /run/netns/NAME}. */
    static String namespaceName(String namespace) {
        if (!namespace.contains("/")) {
            return namespace;
        }
        Path p = Path.of(namespace).normalize();
        Path parent = p.getParent();
        if (parent != null && (parent.equals(Path.of("/var/run/netns")) || parent.equals(Path.of("/run/netns")))) {
            return p.getFileName().toString();
        }
        throw MeshRequestException.invalid("namespace path '" + namespace + "' is not under /var/run/netns "
            + "(attaching /proc/PID/ns/net is planned: bind-mount it to /var/run/netns/NAME first)");
    }

    static void checkNewNetwork(MeshModel m, String name, InetAddress subnet, int prefix, OptionalInt vni) {
        if (m.networks().containsKey(name)) {
            throw MeshRequestException.conflict("network '" + name + "' exists already");
        }
        for (Map.Entry<String, NetworkValue> n : m.networks().entrySet()) {
            NetworkValue v = n.getValue();
            if (Subnets.overlap(v.subnet(), v.prefixLength(), subnet, prefix)) {
                throw MeshRequestException.conflict("subnet " + subnet.getHostAddress() + "/" + prefix
                    + " overlaps network '" + n.getKey() + "' (" + v.cidr() + ")");
            }
            if (vni.isPresent() && v.vni() == vni.getAsInt()) {
                throw MeshRequestException.conflict("VNI " + vni.getAsInt() + " is network '" + n.getKey() + "''s");
            }
        }
        if (!(subnet instanceof Inet4Address)) {
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

    static void checkService(MeshModel m, String name, String network, InetAddress vip) {
        NetworkValue net = network(m, network);
        if (vip != null) {
            checkAddress(m, net, network, vip, "VIP", name);
        }
    }

    private static NetworkValue network(MeshModel m, String name) {
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

}
