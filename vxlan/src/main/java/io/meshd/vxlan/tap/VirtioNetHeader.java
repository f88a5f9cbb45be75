package io.meshd.vxlan.tap;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 10-byte {@code virtio_net_hdr} a TAP opened with {@code IFF_VNET_HDR} puts before every frame (host byte
 * order, little-endian here). With TSO on, a read returns a whole TCP super-frame (up to 64 KiB) described by it:
 * the segment size and where the checksum must go.
 *
 * <pre>
 *  0       1        2         4          6            8             10
 *  +-------+--------+---------+----------+------------+-------------+
 *  | flags |gso_type| hdr_len | gso_size | csum_start | csum_offset |
 *  +-------+--------+---------+----------+------------+-------------+
 * </pre>
 */
final class VirtioNetHeader {

    /** Bytes before each frame. */
    static final int LENGTH = 10;
    /** The checksum from {@code csum_start} to the end is not filled in yet. */
    static final int FLAG_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    /** Flag bit of {@code gso_type}: the ECN bits are set (CWR on the first segment only). */
    static final int GSO_ECN = 0x80;

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VirtioNetHeader() {
    }

    static int flags(DirectBuffer b, int at) {
        return b.getByte(at) & 0xFF;
    }

    static int gsoType(DirectBuffer b, int at) {
        return b.getByte(at + 1) & 0xFF & ~GSO_ECN;
    }

    static int gsoSize(DirectBuffer b, int at) {
        return b.getShort(at + 4, ORDER) & 0xFFFF;
    }

    static int csumStart(DirectBuffer b, int at) {
        return b.getShort(at + 6, ORDER) & 0xFFFF;
    }

    static int csumOffset(DirectBuffer b, int at) {
        return b.getShort(at + 8, ORDER) & 0xFFFF;
    }

    /**
     * Writes the header of a TCP/IPv4 super-frame: segment size {@code gsoSize}, headers of {@code headerLength}
     * bytes, the TCP checksum partial (field at {@code csumStart + csumOffset}).
     */
    static void writeGsoTcpv4(MutableDirectBuffer b, int at, int headerLength, int gsoSize, int csumStart,
        int csumOffset) {
        b.putByte(at, (byte) FLAG_NEEDS_CSUM);
        b.putByte(at + 1, (byte) GSO_TCPV4);
        b.putShort(at + 2, (short) headerLength, ORDER);
        b.putShort(at + 4, (short) gsoSize, ORDER);
        b.putShort(at + 6, (short) csumStart, ORDER);
        b.putShort(at + 8, (short) csumOffset, ORDER);
    }

    /** Writes an all-zero header: a plain frame whose checksums the kernel verifies as usual. */
    static void writeNone(MutableDirectBuffer b, int at) {
        b.setMemory(at, LENGTH, (byte) 0);
    }
}
