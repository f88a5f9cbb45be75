package io.meshd.dns.records;

import io.meshd.dns.NameNode;
import io.meshd.dns.ResourceRecord;
import io.meshd.dns.internal.NameTable;
import io.meshd.dns.internal.WireNames;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the networks in one scope into a {@link NameTable}. The names, for network {@code N}, endpoint
 * {@code E} (and each alias), service {@code S} and published port {@code P}:
 * <pre>
 *   E, E.N                             A/AAAA of the endpoint
 *   S, S.N                             A/AAAA of the VIPs (mode vip) or of every task (mode dnsrr)
 *   tasks.S, tasks.S.N                 A/AAAA of every task
 *   _P.name._P.proto.S[.N]             SRV P.port to S.N (vip) or to each task E.N (dnsrr)
 *   _P.port._P.proto.S[.N]             the same, named by number
 *   reverse name of every address      PTR E.N (tasks) or S.N (VIPs)
 * </pre>
 * Every proper ancestor of a name becomes an empty non-terminal. Names are relative; PTR and SRV targets get the
 * configured suffix (the cluster domain) so resolvers can follow them.
 */
final class ViewBuilder {

    private final int defaultTtl;
    private final String targetSuffix;
    private final Map<String, Set<ResourceRecord>> names = new LinkedHashMap<>();
    private final Map<String, ResourceRecord> dedupe = new HashMap<>();

    ViewBuilder(int defaultTtl, String targetSuffix) {
        this.defaultTtl = defaultTtl;
        this.targetSuffix = targetSuffix;
    }

    NameTable build(List<MeshNetwork> networks, Set<String> scope) {
        for (MeshNetwork network : networks) {
            if (scope.contains(network.name())) {
                add(network);
            }
        }
        Map<NameTable.Key, NameNode> entries = new HashMap<>();
        for (Map.Entry<String, Set<ResourceRecord>> e : names.entrySet()) {
            entries.put(new NameTable.Key(WireNames.toWire(e.getKey())), NameNode.of(new ArrayList<>(e.getValue())));
        }
        for (String name : names.keySet()) {
            int dot = name.indexOf('.');
            while (dot >= 0) {
                NameTable.Key parent = new NameTable.Key(WireNames.toWire(name.substring(dot + 1)));
                entries.putIfAbsent(parent, NameNode.EMPTY_NON_TERMINAL);
                dot = name.indexOf('.', dot + 1);
            }
        }
        return new NameTable(entries);
    }

    private void add(MeshNetwork network) {
        String n = network.name();
        for (MeshEndpoint e : network.endpoints()) {
            int ttl = ttl(e.ttl());
            String target = qualified(e.name() + "." + n);
            for (String label : names(e)) {
                for (InetAddress address : e.addresses()) {
                    addAddress(label, n, address, ttl);
                }
            }
            for (InetAddress address : e.addresses()) {
                put(WireNames.reverseName(address), ResourceRecord.ptr(target, ttl));
            }
        }
        for (MeshService s : network.services()) {
            addService(network, s);
        }
    }

    private void addService(MeshNetwork network, MeshService s) {
        String n = network.name();
        int ttl = ttl(s.ttl());
        List<MeshEndpoint> tasks = new ArrayList<>();
        for (MeshEndpoint e : network.endpoints()) {
            if (e.services().contains(s.name())) {
                tasks.add(e);
            }
        }
        for (MeshEndpoint task : tasks) {
            for (InetAddress address : task.addresses()) {
                addAddress("tasks." + s.name(), n, address, Math.min(ttl, ttl(task.ttl())));
                if (s.mode() == ServiceMode.DNSRR) {
                    addAddress(s.name(), n, address, Math.min(ttl, ttl(task.ttl())));
                }
            }
        }
        String vipTarget = qualified(s.name() + "." + n);
        if (s.mode() == ServiceMode.VIP) {
            for (InetAddress vip : s.vips()) {
                addAddress(s.name(), n, vip, ttl);
                put(WireNames.reverseName(vip), ResourceRecord.ptr(vipTarget, ttl));
            }
        }
        for (PublishedPort p : s.ports()) {
            List<String> owners = new ArrayList<>();
            owners.add("_" + p.port() + "._" + p.protocol() + "." + s.name());
            if (!p.name().isEmpty()) {
                owners.add("_" + p.name() + "._" + p.protocol() + "." + s.name());
            }
            for (String owner : owners) {
                if (s.mode() == ServiceMode.VIP) {
                    addBoth(owner, n, ResourceRecord.srv(0, 0, p.port(), vipTarget, ttl));
                } else {
                    for (MeshEndpoint task : tasks) {
                        String target = qualified(task.name() + "." + n);
                        addBoth(owner, n, ResourceRecord.srv(0, 0, p.port(), target, ttl));
                    }
                }
            }
        }
    }

    private static List<String> names(MeshEndpoint e) {
        List<String> all = new ArrayList<>();
        all.add(e.name());
        all.addAll(e.aliases());
        return all;
    }

    private void addAddress(String name, String network, InetAddress address, int ttl) {
        ResourceRecord r = address instanceof Inet4Address
            ? ResourceRecord.a((Inet4Address) address, ttl)
            : ResourceRecord.aaaa((Inet6Address) address, ttl);
        addBoth(name, network, r);
    }

    private void addBoth(String name, String network, ResourceRecord r) {
        put(name, r);
        put(name + "." + network, r);
    }

    private void put(String name, ResourceRecord r) {
        // One instance per distinct record so a name reachable from two networks does not answer twice.
        String key = r.type() + "/" + r.ttl() + "/" + java.util.Arrays.toString(r.rdataHead()) + "/" + r;
        ResourceRecord shared = dedupe.computeIfAbsent(key, k -> r);
        names.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT), k -> new LinkedHashSet<>()).add(shared);
    }

    private int ttl(int recordTtl) {
        return recordTtl < 0 ? defaultTtl : Math.min(recordTtl, defaultTtl);
    }

    private String qualified(String name) {
        return targetSuffix.isEmpty() ? name : name + "." + targetSuffix;
    }
}
