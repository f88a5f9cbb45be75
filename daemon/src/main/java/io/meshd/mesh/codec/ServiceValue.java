package io.meshd.mesh.codec;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The value of a {@code services} entry (cluster-scoped, key: the service's name). Encoded as
 * {@code | 1 | mode (1: 0 vip, 1 dnsrr) | network count | (network name, VIP or family 0)* | port count |
 * (published (2), target (2), protocol (1))* |}.
 *
 * @param mode how the name resolves and whether a VIP balances it
 * @param networks the networks it is on, each with its VIP (null in mode dnsrr), distinct names
 * @param ports the published ports
 */
public record ServiceValue(Mode mode, List<NetworkVip> networks, List<Port> ports) {
    /** The format version this build writes and reads. */
    public static final int VERSION = 1;
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

    /** Checks the lists: VIPs present exactly in mode vip, distinct networks, bounded sizes. */
    public ServiceValue {
        networks = List.copyOf(networks);
        ports = List.copyOf(ports);
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

    /** The encoded value. */
    public byte[] encode() {
        ValueWriter w = new ValueWriter(VERSION).u8(mode.ordinal()).varint(networks.size());
        for (NetworkVip n : networks) {
            w.string(n.network()).ip(n.vip());
        }
        w.varint(ports.size());
        for (Port p : ports) {
            w.u16(p.published()).u16(p.target()).u8(p.protocol());
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
        r.version(VERSION, "services");
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
            r.end("services");
            return new ServiceValue(Mode.values()[m], List.of(networks), List.of(list));
        } catch (IllegalArgumentException e) {
            throw new ValueFormatException("services value: " + e.getMessage());
        }
    }
}
