package io.meshd.lb;

import io.meshd.packet.Checksums;
import io.meshd.packet.FlowHash;
import io.meshd.packet.IcmpView;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.TcpView;
import io.meshd.packet.UdpView;
import java.util.function.LongSupplier;
import org.agrona.MutableDirectBuffer;

/**
 * Destination NAT for virtual IPs on IPv4 packets, in place, keeping the client's address.
 *
 * <p>Towards a service ({@link #toBackend}): the backend is Maglev's pick for the client's 5-tuple, hashed with a
 * seed every node shares, so every node sends the same flow to the same backend with no shared state; destination
 * address and port are rewritten and the IPv4 and TCP/UDP checksums updated incrementally (RFC 1624).
 *
 * <p>Back to the client ({@link #toClient}): the reply's VIP is computed, not remembered. A reply from backend B:bp
 * to client C:cp belongs to service S if B:bp is one of S's backends and S's table picks B:bp for the flow
 * C:cp → S.vip:S.port; its source is then rewritten to S.vip:S.port. A reply no service claims passes unchanged.
 *
 * <p>Pinned flows ({@link FlowPinTable}): the first packet of a flow pins it to Maglev's pick; later packets keep
 * that backend while it stays in the service and healthy (a draining backend, weight 0, keeps its flows), even
 * after a backend-set change moved Maglev's pick. Both directions consult the pin before Maglev.
 *
 * <p>Direct flows: a client may also connect to a backend's own address. Its replies come from B:bp to C:cp like
 * those of a VIP flow, and Maglev picks B:bp for C:cp → VIP:port for about 1/N of client ports, so the computed
 * rule alone would rewrite them to the VIP and break the connection. Every packet a client sends to a backend's
 * address and port (not through a VIP) therefore pins its flow to itself (key C → B, value B:bp), and a reply
 * whose flow is pinned that way is left alone. Losing such a pin costs the same as losing a VIP flow's pin: the
 * client's next packet restores it.
 *
 * <p>ICMP errors about a translated flow are translated too, so path-MTU discovery and port-unreachable reach the
 * right end: an error from the backend's side quoting C:cp → B:bp gets its quote rewritten to C:cp → VIP:port
 * (and its source too if the backend itself sent it); an error from the client to the VIP quoting VIP:port → C:cp
 * goes to the backend with the quote rewritten to B:bp → C:cp.
 *
 * <p>One instance per thread (it holds flyweight views); allocation-free.
 */
public final class VipNat {
    /** The flow-hash seed every node uses: changing it moves every flow, so it is part of the wire contract. */
    public static final int FLOW_SEED = 0x4D61_676C;
    /** Bytes of the quoted transport header an ICMP error must carry to name the flow (RFC 792: 8). */
    private static final int QUOTED_PORTS = 8;

    private final ServiceTable services;
    private final FlowPinTable pins;
    private final LongSupplier nanoClock;
    private final Ipv4View ip = new Ipv4View();
    private final TcpView tcp = new TcpView();
    private final UdpView udp = new UdpView();
    private final IcmpView icmp = new IcmpView();
    private final Ipv4View quoted = new Ipv4View();
    private final QuotedFlow quote = new QuotedFlow();
    private int lastAddress;

    /**
     * A translator over a service table.
     *
     * @param services the services to translate for
     * @param pins the node's flow pins, shared by every translator of the node
     * @param nanoClock the time for the pins' idle timeouts, nanoseconds
     */
    public VipNat(ServiceTable services, FlowPinTable pins, LongSupplier nanoClock) {
        this.services = services;
        this.pins = pins;
        this.nanoClock = nanoClock;
    }

    /**
     * Translates a packet from a client towards a service's backend, if it is addressed to a service.
     *
     * @param packet the buffer holding the IPv4 packet (writable)
     * @param offset where the IPv4 header starts
     * @param length bytes of the packet available
     * @return what was done; after {@link NatVerdict#TRANSLATED}, {@link #lastAddress()} is the backend's address
     */
    public NatVerdict toBackend(MutableDirectBuffer packet, int offset, int length) {
        if (!ip.tryWrap(packet, offset, length) || !ip.isWellFormed()) {
            return NatVerdict.PASS;
        }
        int vip = ip.destination();
        if (!services.isVip(vip)) {
            pinIfDirect(packet);
            return NatVerdict.PASS;
        }
        int protocol = ip.protocol();
        if (protocol == Ipv4View.PROTOCOL_ICMP) {
            return errorToBackend(packet, vip);
        }
        if (ip.isFragment() || !wrapPorts(packet, protocol)) {
            return NatVerdict.MALFORMED;
        }
        int servicePort = destinationPort(protocol);
        Service service = services.serviceOrNull(vip, servicePort, protocol);
        if (service == null) {
            return NatVerdict.NO_SERVICE;
        }
        int backend = backendFor(service, ip.source(), sourcePort(protocol));
        if (backend == MaglevTable.NO_BACKEND) {
            return NatVerdict.NO_BACKEND;
        }
        lastAddress = service.backendIp(backend);
        rewrite(protocol, true, vip, servicePort, lastAddress, service.backendPort(backend));
        return NatVerdict.TRANSLATED;
    }

    /**
     * Translates a backend's reply back to the VIP the client addressed, if a service claims it.
     *
     * @param packet the buffer holding the IPv4 packet (writable)
     * @param offset where the IPv4 header starts
     * @param length bytes of the packet available
     * @return {@link NatVerdict#TRANSLATED} (then {@link #lastAddress()} is the VIP) or {@link NatVerdict#PASS}
     */
    public NatVerdict toClient(MutableDirectBuffer packet, int offset, int length) {
        if (!ip.tryWrap(packet, offset, length) || !ip.isWellFormed() || ip.isFragment()) {
            return NatVerdict.PASS;
        }
        int protocol = ip.protocol();
        if (protocol == Ipv4View.PROTOCOL_ICMP) {
            return errorToClient(packet);
        }
        if (!wrapPorts(packet, protocol)) {
            return NatVerdict.PASS;
        }
        int backendIp = ip.source();
        int backendPort = sourcePort(protocol);
        Service service = ownerOf(backendIp, backendPort, protocol, ip.destination(), destinationPort(protocol));
        if (service == null) {
            return NatVerdict.PASS;
        }
        ServiceKey key = service.key();
        lastAddress = key.vip();
        rewrite(protocol, false, backendIp, backendPort, key.vip(), key.port());
        return NatVerdict.TRANSLATED;
    }

    /**
     * The backend address after {@link #toBackend}, or the VIP after {@link #toClient}, when either translated:
     * the caller resolves its MAC.
     *
     * @return an IPv4 address, network order
     */
    public int lastAddress() {
        return lastAddress;
    }

    /** The flow's pinned backend if it still takes the flow, else Maglev's pick, pinned; or NO_BACKEND. */
    private int backendFor(Service service, int client, int clientPort) {
        ServiceKey key = service.key();
        long flowA = FlowPinTable.keyA(client, key.vip());
        long flowB = FlowPinTable.keyB(clientPort, key.port(), key.protocol().number());
        long now = nanoClock.getAsLong();
        long pinned = pins.lookup(flowA, flowB, now);
        if (pinned != FlowPinTable.NO_PIN) {
            int index = service.indexOf(pinned);
            if (index >= 0 && service.keepsPinnedFlows(index)) {
                return index;
            }
        }
        int pick = service.pick(maglevHash(client, key, clientPort));
        if (pick != MaglevTable.NO_BACKEND) {
            pins.pin(flowA, flowB, FlowPinTable.backend(service.backendIp(pick), service.backendPort(pick)), now);
            service.countFlow();
        }
        return pick;
    }

    /** Pins a packet's flow to itself when it goes straight to a backend's address and port (see the class note). */
    private void pinIfDirect(MutableDirectBuffer packet) {
        int protocol = ip.protocol();
        if (ip.isFragment() || (protocol != Ipv4View.PROTOCOL_TCP && protocol != Ipv4View.PROTOCOL_UDP)
            || !wrapPorts(packet, protocol)) {
            return;
        }
        int backendIp = ip.destination();
        int backendPort = destinationPort(protocol);
        if (services.servicesOfBackend(backendIp, backendPort, protocol).length == 0) {
            return;
        }
        long flowA = FlowPinTable.keyA(ip.source(), backendIp);
        long flowB = FlowPinTable.keyB(sourcePort(protocol), backendPort, protocol);
        long now = nanoClock.getAsLong();
        long itself = FlowPinTable.backend(backendIp, backendPort);
        // A lookup refreshes an existing pin without taking the bucket's lock; only a new flow writes.
        if (pins.lookup(flowA, flowB, now) != itself) {
            pins.pin(flowA, flowB, itself, now);
        }
    }

    /** The service whose flow C:cp → VIP:port went to backend B:bp, or null if none did (or C:cp went direct). */
    private Service ownerOf(int backendIp, int backendPort, int protocol, int client, int clientPort) {
        long backend = FlowPinTable.backend(backendIp, backendPort);
        if (pins.lookup(FlowPinTable.keyA(client, backendIp), FlowPinTable.keyB(clientPort, backendPort, protocol),
            nanoClock.getAsLong()) == backend) {
            return null;
        }
        for (Service service : services.servicesOfBackend(backendIp, backendPort, protocol)) {
            ServiceKey key = service.key();
            long pinned = pins.lookup(FlowPinTable.keyA(client, key.vip()),
                FlowPinTable.keyB(clientPort, key.port(), protocol), nanoClock.getAsLong());
            if (pinned != FlowPinTable.NO_PIN) {
                if (pinned == backend) {
                    return service;
                }
                continue;
            }
            int pick = service.pick(maglevHash(client, key, clientPort));
            if (pick != MaglevTable.NO_BACKEND && service.backendIp(pick) == backendIp
                && service.backendPort(pick) == backendPort) {
                return service;
            }
        }
        return null;
    }

    private static long maglevHash(int client, ServiceKey key, int clientPort) {
        return FlowHash.hashIpv4(FLOW_SEED, client, key.vip(), clientPort, key.port(), key.protocol().number());
    }

    /** An ICMP error from a client to a VIP, about a reply it got from VIP:port: on to that flow's backend. */
    private NatVerdict errorToBackend(MutableDirectBuffer packet, int vip) {
        if (!wrapQuote(packet)) {
            return NatVerdict.MALFORMED;
        }
        // The quoted packet is the reply as the client saw it: VIP:port → C:cp.
        if (quoted.source() != vip || quoted.destination() != ip.source()) {
            return NatVerdict.MALFORMED;
        }
        Service service = services.serviceOrNull(vip, quote.sourcePort(), quoted.protocol());
        if (service == null) {
            return NatVerdict.NO_SERVICE;
        }
        int backend = backendFor(service, quoted.destination(), quote.destinationPort());
        if (backend == MaglevTable.NO_BACKEND) {
            return NatVerdict.NO_BACKEND;
        }
        lastAddress = service.backendIp(backend);
        ip.destination(lastAddress);
        ip.checksum(Checksums.update32(ip.checksum(), vip, lastAddress));
        quote.rewriteSource(lastAddress, service.backendPort(backend));
        icmp.updateChecksum();
        return NatVerdict.TRANSLATED;
    }

    /** An ICMP error on its way to a client about a packet it sent to a backend: the quote shows the VIP again. */
    private NatVerdict errorToClient(MutableDirectBuffer packet) {
        if (!wrapQuote(packet) || quoted.source() != ip.destination()) {
            return NatVerdict.PASS;
        }
        // The quoted packet is the client's, as translated: C:cp → B:bp.
        int backendIp = quoted.destination();
        int backendPort = quote.destinationPort();
        Service service = ownerOf(backendIp, backendPort, quoted.protocol(), quoted.source(), quote.sourcePort());
        if (service == null) {
            return NatVerdict.PASS;
        }
        ServiceKey key = service.key();
        lastAddress = key.vip();
        if (ip.source() == backendIp) {
            ip.source(key.vip());
            ip.checksum(Checksums.update32(ip.checksum(), backendIp, key.vip()));
        }
        quote.rewriteDestination(key.vip(), key.port());
        icmp.updateChecksum();
        return NatVerdict.TRANSLATED;
    }

    /** Wraps an ICMP error's quoted IPv4 packet and its ports; false for anything else. */
    private boolean wrapQuote(MutableDirectBuffer packet) {
        if (ip.isFragment() || !icmp.tryWrap(packet, ip.payloadOffset(), ip.payloadLength()) || !icmp.isError()
            || !icmp.isWellFormed()) {
            return false;
        }
        int at = icmp.invokingPacketOffset();
        int available = icmp.invokingPacketLength();
        if (!quoted.tryWrap(packet, at, available) || quoted.version() != 4
            || quoted.headerLength() < Ipv4View.MIN_HEADER_LENGTH
            || quoted.headerLength() + QUOTED_PORTS > available || quoted.fragmentOffset() != 0) {
            return false;
        }
        int protocol = quoted.protocol();
        return (protocol == Ipv4View.PROTOCOL_TCP || protocol == Ipv4View.PROTOCOL_UDP)
            && quote.wrap(packet, quoted, available);
    }

    private boolean wrapPorts(MutableDirectBuffer packet, int protocol) {
        int at = ip.payloadOffset();
        int available = ip.payloadLength();
        if (protocol == Ipv4View.PROTOCOL_TCP) {
            return tcp.tryWrap(packet, at, available) && tcp.isWellFormed();
        }
        return protocol == Ipv4View.PROTOCOL_UDP && udp.tryWrap(packet, at, available) && udp.isWellFormed();
    }

    private int sourcePort(int protocol) {
        return protocol == Ipv4View.PROTOCOL_TCP ? tcp.sourcePort() : udp.sourcePort();
    }

    private int destinationPort(int protocol) {
        return protocol == Ipv4View.PROTOCOL_TCP ? tcp.destinationPort() : udp.destinationPort();
    }

    /** Rewrites one end (the destination towards a backend, the source back to a client) of the flow. */
    private void rewrite(int protocol, boolean destination, int oldIp, int oldPort, int newIp, int newPort) {
        if (destination) {
            ip.destination(newIp);
        } else {
            ip.source(newIp);
        }
        ip.checksum(Checksums.update32(ip.checksum(), oldIp, newIp));
        if (protocol == Ipv4View.PROTOCOL_TCP) {
            if (destination) {
                tcp.destinationPort(newPort);
            } else {
                tcp.sourcePort(newPort);
            }
            tcp.checksum(transportChecksum(tcp.checksum(), oldIp, oldPort, newIp, newPort));
            return;
        }
        if (destination) {
            udp.destinationPort(newPort);
        } else {
            udp.sourcePort(newPort);
        }
        if (udp.checksum() != 0) {
            // Zero means the sender computed none (legal over IPv4): it stays none.
            udp.checksum(Checksums.udp(transportChecksum(udp.checksum(), oldIp, oldPort, newIp, newPort)));
        }
    }

    /** The L4 checksum covers the pseudo-header's address and the port: both change. */
    private static int transportChecksum(int checksum, int oldIp, int oldPort, int newIp, int newPort) {
        return Checksums.update16(Checksums.update32(checksum, oldIp, newIp), oldPort, newPort);
    }
}
