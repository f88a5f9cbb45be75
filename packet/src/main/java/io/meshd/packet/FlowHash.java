package io.meshd.packet;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The outer UDP source port of an encapsulated frame: a stable hash of the inner flow scaled into a port range, as
 * Linux's {@code udp_flow_src_port} does, so ECMP routers and RSS spread flows while keeping each flow in order.
 *
 * <p>The hash covers the MACs and EtherType; for IPv4 and IPv6 (behind at most one VLAN tag) the addresses and
 * protocol; for unfragmented TCP, UDP, SCTP and UDP-Lite the ports. It reads only what the frame holds, never
 * throws on a malformed frame (it hashes what it could read) and allocates nothing.
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
            hash = hashIpv4(frame, network, end, hash);
        } else if (type == EthernetView.TYPE_IPV6) {
            hash = hashIpv6(frame, network, end, hash);
        }
        return finish(hash);
    }

    private static int hashIpv4(DirectBuffer frame, int at, int end, int seed) {
        if (at + Ipv4View.MIN_HEADER_LENGTH > end) {
            return seed;
        }
        int hash = mix(seed, frame.getInt(at + Ipv4View.SOURCE_OFFSET, NETWORK));
        hash = mix(hash, frame.getInt(at + Ipv4View.DESTINATION_OFFSET, NETWORK));
        int protocol = frame.getByte(at + Ipv4View.PROTOCOL_OFFSET) & 0xFF;
        hash = mix(hash, protocol);
        boolean fragment = (frame.getShort(at + Ipv4View.FRAGMENT_OFFSET, NETWORK) & 0x3FFF) != 0;
        int headerLength = (frame.getByte(at) & 0x0F) * 4;
        if (fragment || headerLength < Ipv4View.MIN_HEADER_LENGTH) {
            return hash;
        }
        return hashPorts(frame, at + headerLength, end, protocol, hash);
    }

    private static int hashIpv6(DirectBuffer frame, int at, int end, int seed) {
        if (at + Ipv6View.HEADER_LENGTH > end) {
            return seed;
        }
        int hash = seed;
        for (int word = Ipv6View.SOURCE_OFFSET; word < Ipv6View.HEADER_LENGTH; word += 4) {
            hash = mix(hash, frame.getInt(at + word, NETWORK));
        }
        int protocol = frame.getByte(at + Ipv6View.NEXT_HEADER_OFFSET) & 0xFF;
        hash = mix(hash, protocol);
        return hashPorts(frame, at + Ipv6View.HEADER_LENGTH, end, protocol, hash);
    }

    private static int hashPorts(DirectBuffer frame, int at, int end, int protocol, int hash) {
        boolean hasPorts = protocol == Ipv4View.PROTOCOL_TCP || protocol == Ipv4View.PROTOCOL_UDP
            || protocol == PROTOCOL_SCTP || protocol == PROTOCOL_UDPLITE;
        if (hasPorts && at + 4 <= end) {
            return mix(hash, frame.getInt(at, NETWORK));
        }
        return hash;
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
