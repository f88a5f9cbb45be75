package io.meshd.mesh.codec;

import java.net.InetAddress;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The value of a {@code services} entry (cluster-scoped, key: the service's name). Encoded as
 * {@code | version | mode (1: 0 vip, 1 dnsrr) | network count | (network name, VIP or family 0)* | port count |
 * (published (2), target (2), protocol (1))* | [weight count | (endpoint name, weight (varint))*] |}: version 1
 * without the weights part (no weights), version 2 with it (at least one weight, names in order). A value without
 * weights is written as version 1, so nodes that read only version 1 keep reading every service nobody has
 * weighted.
 *
 * @param mode how the name resolves and whether a VIP balances it
 * @param networks the networks it is on, each with its VIP (null in mode dnsrr), distinct names
 * @param ports the published ports
 * @param weights backend weights by endpoint name, 0 (drained: no new flows, pinned flows stay) to
 *     {@link #MAX_WEIGHT}; an endpoint not named weighs {@link #DEFAULT_WEIGHT}, and so never is stored with it
 *     (sorted by name)
 */
public record ServiceValue(Mode mode, List<NetworkVip> networks, List<Port> ports, Map<String, Integer> weights) {
    /** The format version of a value without weights (also read). */
    public static final int VERSION = 1;
    /** The format version of a value with weights. */
    public static final int VERSION_WEIGHTS = 2;
    /** The weight of a backend not named in {@link #weights()}. */
    public static final int DEFAULT_WEIGHT = 1;
    /** The largest weight. */
    public static final int MAX_WEIGHT = 1000;
    /**
     * The most weighted endpoints: 16 names of up to 64 bytes with their weights add at most 16 x 67 = 1 072 bytes;
     * the whole entry must still fit one gossip packet ({@code GossipNode.maxEntryBytes()}, 1 330 bytes by
     * default), which {@code put} checks.
     */
    public static final int MAX_WEIGHTS = 16;
    /** The most networks a service may be on (the entry must fit one gossip packet). */
    public static final int MAX_NETWORKS = 32;
    /** The most published ports. */
    public static final int MAX_PORTS = 64;

    /** How a service's name resolves. */
    public enum Mode {
        /** To its VIP, balanced by the switch. */
        VIP,
        /** To every task's address. */
        DNSRR
    }

    /**
     * A network of the service and its VIP there.
     *
     * @param network the network's name
     * @param vip the VIP, or null (mode dnsrr)
     */
    public record NetworkVip(String network, InetAddress vip) {
        /** Checks the name. */
        public NetworkVip {
            Names.check(network, "network name");
        }
    }

    /**
     * A published port: clients reach {@code published} on the VIP, backends answer on {@code target}.
     *
     * @param published 1..65535
     * @param target 1..65535
     * @param protocol 6 (TCP) or 17 (UDP)
     */
    public record Port(int published, int target, int protocol) {
        /** TCP. */
        public static final int TCP = 6;
        /** UDP. */
        public static final int UDP = 17;

        /** Checks the ranges. */
        public Port {
            if (published < 1 || published > 65535 || target < 1 || target > 65535) {
                throw new IllegalArgumentException("ports must be 1..65535: " + published + ":" + target);
            }
            if (protocol != TCP && protocol != UDP) {
                throw new IllegalArgumentException("protocol must be 6 (tcp) or 17 (udp): " + protocol);
            }
        }
    }

    /** A service without weights (every backend weighs {@link #DEFAULT_WEIGHT}). */
    public ServiceValue(Mode mode, List<NetworkVip> networks, List<Port> ports) {
        this(mode, networks, ports, Map.of());
    }

    /**
     * Checks the lists: VIPs present exactly in mode vip, distinct networks, bounded sizes, weights in range and
     * not the default.
     */
    public ServiceValue {
        networks = List.copyOf(networks);
        ports = List.copyOf(ports);
        weights = checkWeights(weights);
        if (networks.isEmpty() || networks.size() > MAX_NETWORKS) {
            throw new IllegalArgumentException("a service is on 1.." + MAX_NETWORKS + " networks: "
                + networks.size());
        }
        if (ports.size() > MAX_PORTS) {
            throw new IllegalArgumentException("at most " + MAX_PORTS + " ports: " + ports.size());
        }
        Set<String> seen = new HashSet<>();
        for (NetworkVip n : networks) {
            if (!seen.add(n.network())) {
                throw new IllegalArgumentException("network '" + n.network() + "' given twice");
            }
            if ((mode == Mode.VIP) != (n.vip() != null)) {
                throw new IllegalArgumentException(mode == Mode.VIP ? "mode vip needs a VIP on '" + n.network()
                    + "'" : "mode dnsrr has no VIP (on '" + n.network() + "')");
            }
        }
        Set<Long> keys = new HashSet<>();
        for (Port p : ports) {
            if (!keys.add((long) p.published() << 8 | p.protocol())) {
                throw new IllegalArgumentException("port " + p.published() + "/" + p.protocol() + " given twice");
            }
        }
    }

    private static Map<String, Integer> checkWeights(Map<String, Integer> weights) {
        if (weights.size() > MAX_WEIGHTS) {
            throw new IllegalArgumentException("at most " + MAX_WEIGHTS + " weighted backends: " + weights.size());
        }
        Map<String, Integer> sorted = new TreeMap<>();
        weights.forEach((k, v) -> {
            Names.check(k, "endpoint name");
            if (v == null || v < 0 || v > MAX_WEIGHT) {
                throw new IllegalArgumentException("weight of '" + k + "' must be 0.." + MAX_WEIGHT + ": " + v);
            }
            if (v == DEFAULT_WEIGHT) {
                throw new IllegalArgumentException("weight of '" + k + "' is the default " + DEFAULT_WEIGHT
                    + ": leave it out");
            }
            sorted.put(k, v);
        });
        return Collections.unmodifiableMap(sorted);
    }

    /** The weight of endpoint {@code name}'s backends. */
    public int weightOf(String name) {
        return weights.getOrDefault(name, DEFAULT_WEIGHT);
    }

    /**
     * This service with {@code changes} merged into its weights: a weight of {@link #DEFAULT_WEIGHT} removes the
     * name.
     *
     * @throws IllegalArgumentException for a weight out of range or too many weighted backends
     */
    public ServiceValue withWeights(Map<String, Integer> changes) {
        Map<String, Integer> merged = new TreeMap<>(weights);
        changes.forEach((k, v) -> {
            if (v != null && v == DEFAULT_WEIGHT) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        return new ServiceValue(mode, networks, ports, merged);
    }

    /** The encoded value. */
    public byte[] encode() {
        ValueWriter w = new ValueWriter(weights.isEmpty() ? VERSION : VERSION_WEIGHTS).u8(mode.ordinal())
            .varint(networks.size());
        for (NetworkVip n : networks) {
            w.string(n.network()).ip(n.vip());
        }
        w.varint(ports.size());
        for (Port p : ports) {
            w.u16(p.published()).u16(p.target()).u8(p.protocol());
        }
        if (!weights.isEmpty()) {
            w.varint(weights.size());
            weights.forEach((k, v) -> w.string(k).varint(v));
        }
        return w.bytes();
    }

    /**
     * Decodes a value from the wire.
     *
     * @throws ValueFormatException for anything that does not follow the schema
     */
    public static ServiceValue decode(byte[] value) throws ValueFormatException {
        ValueReader r = new ValueReader(value);
        int version = r.versionIn(VERSION, VERSION_WEIGHTS, "services");
        int m = r.u8();
        if (m > 1) {
            throw new ValueFormatException("services value has mode " + m);
        }
        try {
            int count = (int) r.varint(MAX_NETWORKS, "network count");
            NetworkVip[] networks = new NetworkVip[count];
            for (int i = 0; i < count; i++) {
                String name = Names.checkDecoded(r.string("network name"), "network name");
                networks[i] = new NetworkVip(name, r.ip("VIP", true));
            }
            int ports = (int) r.varint(MAX_PORTS, "port count");
            Port[] list = new Port[ports];
            for (int i = 0; i < ports; i++) {
                list[i] = new Port(r.u16(), r.u16(), r.u8());
            }
            TreeMap<String, Integer> weights = new TreeMap<>();
            if (version == VERSION_WEIGHTS) {
                int count2 = (int) r.varint(MAX_WEIGHTS, "weight count");
                if (count2 == 0) {
                    throw new ValueFormatException("services value of version " + VERSION_WEIGHTS
                        + " without weights (written as version " + VERSION + ")");
                }
                for (int i = 0; i < count2; i++) {
                    String k = Names.checkDecoded(r.string("endpoint name"), "endpoint name");
                    if (!weights.isEmpty() && weights.lastKey().compareTo(k) >= 0) {
                        throw new ValueFormatException("weight of '" + k + "' out of order or given twice");
                    }
                    weights.put(k, (int) r.varint(MAX_WEIGHT, "weight"));
                }
            }
            r.end("services");
            return new ServiceValue(Mode.values()[m], List.of(networks), List.of(list), weights);
        } catch (IllegalArgumentException e) {
            throw new ValueFormatException("services value: " + e.getMessage());
        }
    }
}
