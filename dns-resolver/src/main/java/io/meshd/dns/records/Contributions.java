package io.meshd.dns.records;

import io.meshd.dns.ResourceRecord;
import io.meshd.dns.internal.WireNames;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The (name, record) pairs one endpoint or one service adds to a network's names, the same names
 * {@link ViewBuilder} makes for a whole network: a live source diffs them per endpoint and per service instead of
 * rebuilding every name.
 *
 * <ul>
 *   <li>An endpoint: its name and aliases (plain and {@code .network}), the PTR of each address, and, for every
 *       service it is a task of that exists on the network, {@code tasks.S}, plus {@code S} and the SRV records
 *       naming it when the service is in mode dnsrr.</li>
 *   <li>A service: its VIPs under its name, their PTRs and its SRV records (mode vip); nothing in mode dnsrr
 *       (its tasks carry its names).</li>
 * </ul>
 */
final class Contributions {

    /** One record of one name; the name in lower-case wire form. */
    record Pair(byte[] name, ResourceRecord record) {
    }

    private final int defaultTtl;
    private final String targetSuffix;

    Contributions(int defaultTtl, String targetSuffix) {
        this.defaultTtl = defaultTtl;
        this.targetSuffix = targetSuffix;
    }

    /** What endpoint {@code e} adds to network {@code network}, given the network's services. */
    List<Pair> endpoint(String network, MeshEndpoint e, Map<String, MeshService> services) {
        List<Pair> out = new ArrayList<>();
        int ttl = ttl(e.ttl());
        String target = qualified(e.name() + "." + network);
        List<String> labels = new ArrayList<>();
        labels.add(e.name());
        labels.addAll(e.aliases());
        for (String label : labels) {
            for (InetAddress address : e.addresses()) {
                both(out, label, network, address(address, ttl));
            }
        }
        for (InetAddress address : e.addresses()) {
            out.add(new Pair(wire(WireNames.reverseName(address)), ResourceRecord.ptr(target, ttl)));
        }
        for (String serviceName : e.services()) {
            MeshService s = services.get(serviceName);
            if (s == null) {
                continue;
            }
            int serviceTtl = ttl(s.ttl());
            int taskTtl = Math.min(serviceTtl, ttl);
            for (InetAddress address : e.addresses()) {
                both(out, "tasks." + s.name(), network, address(address, taskTtl));
                if (s.mode() == ServiceMode.DNSRR) {
                    both(out, s.name(), network, address(address, taskTtl));
                }
            }
            if (s.mode() == ServiceMode.DNSRR) {
                for (PublishedPort p : s.ports()) {
                    for (String owner : owners(s, p)) {
                        both(out, owner, network, ResourceRecord.srv(0, 0, p.port(), target, serviceTtl));
                    }
                }
            }
        }
        return out;
    }

    /** What service {@code s} itself adds to network {@code network} (its tasks add the rest). */
    List<Pair> service(String network, MeshService s) {
        List<Pair> out = new ArrayList<>();
        if (s.mode() != ServiceMode.VIP) {
            return out;
        }
        int ttl = ttl(s.ttl());
        String vipTarget = qualified(s.name() + "." + network);
        for (InetAddress vip : s.vips()) {
            both(out, s.name(), network, address(vip, ttl));
            out.add(new Pair(wire(WireNames.reverseName(vip)), ResourceRecord.ptr(vipTarget, ttl)));
        }
        for (PublishedPort p : s.ports()) {
            for (String owner : owners(s, p)) {
                both(out, owner, network, ResourceRecord.srv(0, 0, p.port(), vipTarget, ttl));
            }
        }
        return out;
    }

    private static List<String> owners(MeshService s, PublishedPort p) {
        List<String> owners = new ArrayList<>(2);
        owners.add("_" + p.port() + "._" + p.protocol() + "." + s.name());
        if (!p.name().isEmpty()) {
            owners.add("_" + p.name() + "._" + p.protocol() + "." + s.name());
        }
        return owners;
    }

    private static ResourceRecord address(InetAddress address, int ttl) {
        return address instanceof Inet4Address
            ? ResourceRecord.a((Inet4Address) address, ttl)
            : ResourceRecord.aaaa((Inet6Address) address, ttl);
    }

    private static void both(List<Pair> out, String name, String network, ResourceRecord r) {
        out.add(new Pair(wire(name), r));
        out.add(new Pair(wire(name + "." + network), r));
    }

    private static byte[] wire(String name) {
        return WireNames.toWire(name.toLowerCase(Locale.ROOT));
    }

    private int ttl(int recordTtl) {
        return recordTtl < 0 ? defaultTtl : Math.min(recordTtl, defaultTtl);
    }

    private String qualified(String name) {
        return targetSuffix.isEmpty() ? name : name + "." + targetSuffix;
    }
}
