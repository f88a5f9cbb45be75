package io.meshd.packet;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The outer UDP source port of an encapsulated frame: a stable hash of the inner flow scaled into a port range, as
 * Linux's {@code udp_flow_src_port} does, so ECMP routers and RSS spread flows while keeping each flow in order.
 *
 * <p>The frame hash covers the MACs and EtherType; for IPv4 and IPv6 (behind at most one VLAN tag) the 5-tuple,
 * hashed by {@link #hashIpv4}/{@link #hashIpv6} seeded with the link-layer part (ports are those of unfragmented
 * TCP, UDP, SCTP and UDP-Lite, 0 otherwise). It reads only what the frame holds, never throws on a malformed frame
 * (it hashes what it could read) and allocates nothing. The 5-tuple hashes are also the load balancer's flow key,
 * computed from fields it already parsed.
 */
public final class FlowHash {
    /** Lowest source port by default (Linux's default ephemeral range). */
    public static final int DEFAULT_LOW = 32768;
    /** Highest source port by default. */
    public static final int DEFAULT_HIGH = 60999;
    private static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;
    private static final int SEED = 0x9E37_79B9;
    private static final int PROTOCOL_SCTP = 132;
    private static final int PROTOCOL_UDPLITE = 136;

    private FlowHash() {
    }

    /**
     * The source port for a frame.
     *
     * @param frame the buffer holding the inner Ethernet frame
     * @param offset where the frame starts
     * @param length the frame length
     * @param low lowest port (inclusive)
     * @param high highest port (inclusive)
     * @return a port in [low, high], the same for every frame of a flow
     * @throws IllegalArgumentException if the range is not within 0-65535 or low &gt; high
     */
    public static int sourcePort(DirectBuffer frame, int offset, int length, int low, int high) {
        if (low < 0 || high > 0xFFFF || low > high) {
            throw new IllegalArgumentException("bad port range " + low + ".." + high);
        }
        return low + bucket(frame, offset, length, high - low + 1);
    }

    /**
     * The flow's hash scaled into {@code [0, n)} with a multiply-shift (no division, no modulo bias worth the name):
     * the source port's offset in its range, and the TAP queue a frame for a container is written to.
     *
     * @param frame the buffer holding the inner Ethernet frame
     * @param offset where the frame starts
     * @param length the frame length
     * @param n how many buckets, at least 1
     * @return a bucket in [0, n), the same for every frame of a flow
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public static int bucket(DirectBuffer frame, int offset, int length, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("buckets must be at least 1: " + n);
        }
        return (int) (((hash(frame, offset, length) & 0xFFFF_FFFFL) * n) >>> 32);
    }

    /**
     * The 32-bit flow hash of a frame.
     *
     * @param frame the buffer holding the inner Ethernet frame
     * @param offset where the frame starts
     * @param length the frame length
     * @return the hash (any int)
     */
    public static int hash(DirectBuffer frame, int offset, int length) {
        int hash = SEED;
        if (offset < 0 || length < EthernetView.HEADER_LENGTH || (long) offset + length > frame.capacity()) {
            return finish(hash);
        }
        int end = offset + length;
        hash = mix(hash, frame.getInt(offset, NETWORK));
        hash = mix(hash, frame.getInt(offset + 4, NETWORK));
        hash = mix(hash, frame.getInt(offset + 8, NETWORK));
        int typeAt = offset + EthernetView.ETHER_TYPE_OFFSET;
        int type = frame.getShort(typeAt, NETWORK) & 0xFFFF;
        if ((type == EthernetView.TYPE_VLAN || type == EthernetView.TYPE_QINQ) && typeAt + 6 <= end) {
            typeAt += 4;
            type = frame.getShort(typeAt, NETWORK) & 0xFFFF;
        }
        hash = mix(hash, type);
        int network = typeAt + 2;
        if (type == EthernetView.TYPE_IPV4) {
            hash = frameIpv4(frame, network, end, hash);
        } else if (type == EthernetView.TYPE_IPV6) {
            hash = frameIpv6(frame, network, end, hash);
        }
        return finish(hash);
    }

    /**
     * The seeded hash of an IPv4 5-tuple: the load balancer's flow key. Pure arithmetic on the values given, so
     * every JVM and every node computes the same hash for the same seed and tuple (never {@code hashCode()}).
     * Direction matters: the reply's tuple (addresses and ports swapped) hashes differently.
     *
     * @param seed the hash seed, e.g. shared by all nodes of a load balancer
     * @param source source address
     * @param destination destination address
     * @param sourcePort source port (0-65535; 0 for protocols without ports)
     * @param destinationPort destination port (0-65535; 0 for protocols without ports)
     * @param protocol IP protocol number (0-255)
     * @return the hash (any int)
     */
    public static int hashIpv4(int seed, int source, int destination, int sourcePort, int destinationPort,
        int protocol) {
        return finish(mixIpv4(seed, source, destination, sourcePort, destinationPort, protocol));
    }

    /**
     * The seeded hash of an IPv6 5-tuple, addresses as two big-endian halves (as {@link Ipv6View} returns them);
     * stable across JVMs and nodes like {@link #hashIpv4}.
     *
     * @param seed the hash seed
     * @param sourceHigh bytes 0-7 of the source address
     * @param sourceLow bytes 8-15 of the source address
     * @param destinationHigh bytes 0-7 of the destination address
     * @param destinationLow bytes 8-15 of the destination address
     * @param sourcePort source port (0-65535; 0 for protocols without ports)
     * @param destinationPort destination port (0-65535; 0 for protocols without ports)
     * @param protocol IP protocol number (0-255)
     * @return the hash (any int)
     */
    public static int hashIpv6(int seed, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
        int sourcePort, int destinationPort, int protocol) {
        return finish(mixIpv6(seed, sourceHigh, sourceLow, destinationHigh, destinationLow, sourcePort,
            destinationPort, protocol));
    }

    private static int mixIpv4(int seed, int source, int destination, int sourcePort, int destinationPort,
        int protocol) {
        int hash = mix(seed, source);
        hash = mix(hash, destination);
        return mixProtocolAndPorts(hash, sourcePort, destinationPort, protocol);
    }

    private static int mixIpv6(int seed, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
        int sourcePort, int destinationPort, int protocol) {
        int hash = mixLong(seed, sourceHigh);
        hash = mixLong(hash, sourceLow);
        hash = mixLong(hash, destinationHigh);
        hash = mixLong(hash, destinationLow);
        return mixProtocolAndPorts(hash, sourcePort, destinationPort, protocol);
    }

    private static int mixProtocolAndPorts(int hash, int sourcePort, int destinationPort, int protocol) {
        int mixed = mix(hash, protocol & 0xFF);
        return mix(mixed, (sourcePort & 0xFFFF) << 16 | destinationPort & 0xFFFF);
    }

    private static int mixLong(int hash, long word) {
        return mix(mix(hash, (int) (word >>> 32)), (int) word);
    }

    /** The frame's IPv4 tuple mixed into the link-layer hash; ports are 0 for fragments and portless protocols. */
    private static int frameIpv4(DirectBuffer frame, int at, int end, int seed) {
        if (at + Ipv4View.MIN_HEADER_LENGTH > end) {
            return seed;
        }
        int protocol = frame.getByte(at + Ipv4View.PROTOCOL_OFFSET) & 0xFF;
        boolean fragment = (frame.getShort(at + Ipv4View.FRAGMENT_OFFSET, NETWORK) & 0x3FFF) != 0;
        int headerLength = (frame.getByte(at) & 0x0F) * 4;
        int ports = fragment || headerLength < Ipv4View.MIN_HEADER_LENGTH ? 0
            : ports(frame, at + headerLength, end, protocol);
        return mixIpv4(seed, frame.getInt(at + Ipv4View.SOURCE_OFFSET, NETWORK),
            frame.getInt(at + Ipv4View.DESTINATION_OFFSET, NETWORK), ports >>> 16, ports, protocol);
    }

    /** The frame's IPv6 tuple mixed into the link-layer hash; the ports of the first next header only. */
    private static int frameIpv6(DirectBuffer frame, int at, int end, int seed) {
        if (at + Ipv6View.HEADER_LENGTH > end) {
            return seed;
        }
        int protocol = frame.getByte(at + Ipv6View.NEXT_HEADER_OFFSET) & 0xFF;
        int ports = ports(frame, at + Ipv6View.HEADER_LENGTH, end, protocol);
        int source = at + Ipv6View.SOURCE_OFFSET;
        int destination = at + Ipv6View.DESTINATION_OFFSET;
        return mixIpv6(seed, frame.getLong(source, NETWORK), frame.getLong(source + 8, NETWORK),
            frame.getLong(destination, NETWORK), frame.getLong(destination + 8, NETWORK), ports >>> 16, ports,
            protocol);
    }

    /** Both ports as one word (source in the high half), or 0 if the protocol has none or they are cut off. */
    private static int ports(DirectBuffer frame, int at, int end, int protocol) {
        boolean hasPorts = protocol == Ipv4View.PROTOCOL_TCP || protocol == Ipv4View.PROTOCOL_UDP
            || protocol == PROTOCOL_SCTP || protocol == PROTOCOL_UDPLITE;
        return hasPorts && at + 4 <= end ? frame.getInt(at, NETWORK) : 0;
    }

    /** One MurmurHash3 round. */
    private static int mix(int hash, int word) {
        int k = word * 0xCC9E_2D51;
        k = Integer.rotateLeft(k, 15) * 0x1B87_3593;
        int h = hash ^ k;
        return Integer.rotateLeft(h, 13) * 5 + 0xE654_6B64;
    }

    /** MurmurHash3's finaliser, so every input bit reaches the high bits used for scaling. */
    private static int finish(int hash) {
        int h = hash ^ hash >>> 16;
        h *= 0x85EB_CA6B;
        h ^= h >>> 13;
        h *= 0xC2B2_AE35;
        return h ^ h >>> 16;
    }
}
