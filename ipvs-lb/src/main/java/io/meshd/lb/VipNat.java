package io.meshd.lb;

import io.meshd.packet.Checksums;
import io.meshd.packet.FlowHash;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.TcpView;
import io.meshd.packet.UdpView;
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
 * <p>One instance per thread (it holds flyweight views); allocation-free.
 */
public final class VipNat {
    /** The flow-hash seed every node uses: changing it moves every flow, so it is part of the wire contract. */
    public static final int FLOW_SEED = 0x4D61_676C;

    private final ServiceTable services;
    private final Ipv4View ip = new Ipv4View();
    private final TcpView tcp = new TcpView();
    private final UdpView udp = new UdpView();
    private int lastAddress;

    /**
     * A translator over a service table.
     *
     * @param services the services to translate for
     */
    public VipNat(ServiceTable services) {
        this.services = services;
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
            return NatVerdict.PASS;
        }
        int protocol = ip.protocol();
        if (ip.isFragment() || !wrapPorts(packet, protocol)) {
            return NatVerdict.MALFORMED;
        }
        int clientPort = sourcePort(protocol);
        int servicePort = destinationPort(protocol);
        Service service = services.serviceOrNull(vip, servicePort, protocol);
        if (service == null) {
            return NatVerdict.NO_SERVICE;
        }
        int client = ip.source();
        int backend = service.pick(FlowHash.hashIpv4(FLOW_SEED, client, vip, clientPort, servicePort, protocol));
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
        if (!wrapPorts(packet, protocol)) {
            return NatVerdict.PASS;
        }
        int backendIp = ip.source();
        int backendPort = sourcePort(protocol);
        Service[] candidates = services.servicesOfBackend(backendIp, backendPort, protocol);
        int client = ip.destination();
        int clientPort = destinationPort(protocol);
        for (Service service : candidates) {
            ServiceKey key = service.key();
            int pick = service.pick(FlowHash.hashIpv4(FLOW_SEED, client, key.vip(), clientPort, key.port(), protocol));
            if (pick != MaglevTable.NO_BACKEND && service.backendIp(pick) == backendIp
                && service.backendPort(pick) == backendPort) {
                lastAddress = key.vip();
                rewrite(protocol, false, backendIp, backendPort, key.vip(), key.port());
                return NatVerdict.TRANSLATED;
            }
        }
        return NatVerdict.PASS;
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
