package io.meshd.vxlan.tap;

import io.meshd.vxlan.fabric.SegmentedFrame;
import io.meshd.packet.Checksums;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.Ipv6View;
import io.meshd.packet.TcpView;
import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * Software TCP segmentation of a TSO super-frame read from a TAP (what a NIC does in hardware): each segment gets
 * a copy of the Ethernet, IP and TCP headers with its own IP length, IPv4 identification and header checksum, TCP
 * sequence number, flags (FIN and PSH on the last segment only, CWR on the first only) and full TCP checksum.
 * Allocation-free; one instance per TAP poller thread. After {@link #prepare} it is the {@link SegmentedFrame} the
 * switch and the uplink cut: a segment is either written whole, or only its headers are written (with the payload
 * summed where it lies in the TAP's read buffer) so the uplink can send the payload from there without copying it.
 */
final class TcpSegmenter implements SegmentedFrame {

    private static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;
    private static final int FLAG_FIN = 0x01;
    private static final int FLAG_PSH = 0x08;
    private static final int FLAG_CWR = 0x80;

    private MutableDirectBuffer frame;
    private int frameOffset;
    private int frameLength;
    private int headerLength;
    private int ipOffset;
    private int tcpOffset;
    private boolean ipv4;
    private int payloadLength;
    private int mss;
    private int segments;

    /**
     * Reads the headers of a super-frame; returns the number of segments, or -1 if it is not a TCP frame over
     * IPv4 (header of 20 bytes or more) or IPv6 without extension headers that can be segmented (the caller drops
     * it).
     */
    int prepare(MutableDirectBuffer frame, int offset, int length, int gsoSize) {
        if (length < EthernetView.HEADER_LENGTH + Ipv4View.MIN_HEADER_LENGTH + TcpView.MIN_HEADER_LENGTH
            || gsoSize <= 0) {
            return -1;
        }
        int type = frame.getShort(offset + EthernetView.ETHER_TYPE_OFFSET, NETWORK) & 0xFFFF;
        ipOffset = EthernetView.HEADER_LENGTH;
        int ipHeader;
        if (type == EthernetView.TYPE_IPV4) {
            ipv4 = true;
            ipHeader = (frame.getByte(offset + ipOffset) & 0x0F) * 4;
            // An IHL under 5 would put the TCP header inside the IPv4 header's fixed fields.
            if (ipHeader < Ipv4View.MIN_HEADER_LENGTH
                || frame.getByte(offset + ipOffset + Ipv4View.PROTOCOL_OFFSET) != Ipv4View.PROTOCOL_TCP) {
                return -1;
            }
        } else if (type == EthernetView.TYPE_IPV6) {
            ipv4 = false;
            ipHeader = Ipv6View.HEADER_LENGTH;
            if (frame.getByte(offset + ipOffset + Ipv6View.NEXT_HEADER_OFFSET) != Ipv4View.PROTOCOL_TCP) {
                return -1;
            }
        } else {
            return -1;
        }
        tcpOffset = ipOffset + ipHeader;
        if (tcpOffset + TcpView.MIN_HEADER_LENGTH > length) {
            return -1;
        }
        int tcpHeader = ((frame.getByte(offset + tcpOffset + TcpView.DATA_OFFSET_FLAGS_OFFSET) & 0xF0) >>> 4) * 4;
        headerLength = tcpOffset + tcpHeader;
        if (tcpHeader < TcpView.MIN_HEADER_LENGTH || headerLength > length) {
            return -1;
        }
        payloadLength = length - headerLength;
        mss = gsoSize;
        this.frame = frame;
        this.frameOffset = offset;
        this.frameLength = length;
        segments = payloadLength == 0 ? 1 : (payloadLength + mss - 1) / mss;
        return segments;
    }

    /** The bytes of every segment together: each carries the headers, the payload is split. */
    long segmentBytes() {
        return (long) segments * headerLength + payloadLength;
    }

    @Override
    public MutableDirectBuffer buffer() {
        return frame;
    }

    @Override
    public int offset() {
        return frameOffset;
    }

    @Override
    public int length() {
        return frameLength;
    }

    @Override
    public int segments() {
        return segments;
    }

    @Override
    public int segmentLength(int index) {
        return headerLength + payloadOf(index);
    }

    @Override
    public int writeSegment(int index, MutableDirectBuffer out, int at) {
        int payload = payloadOf(index);
        out.putBytes(at, frame, frameOffset, headerLength);
        // The payload is summed while it is copied; the header's sum is added once its fields are final (the TCP
        // header's length is a multiple of 4, so the payload's words line up the same way in the whole segment).
        long payloadSum = Checksums.copyAndSum(frame, payloadStart(index), out, at + headerLength, payload, 0);
        finishHeaders(index, out, at, payload, payloadSum);
        return headerLength + payload;
    }

    @Override
    public int writeHeaders(int index, MutableDirectBuffer out, int at) {
        int payload = payloadOf(index);
        out.putBytes(at, frame, frameOffset, headerLength);
        // Summing reads the payload where it lies: the only pass over it in user space.
        finishHeaders(index, out, at, payload, Checksums.sum(frame, payloadStart(index), payload, 0));
        return headerLength;
    }

    @Override
    public long payloadAddress(int index) {
        return frame.byteArray() == null ? frame.addressOffset() + payloadStart(index) : 0;
    }

    private int payloadOf(int index) {
        return Math.min(mss, payloadLength - index * mss);
    }

    private int payloadStart(int index) {
        return frameOffset + headerLength + index * mss;
    }

    /**
     * Fixes up the copied headers of segment {@code index} at {@code at}: IP length (and IPv4 id and header
     * checksum), sequence number, flags, and the TCP checksum from the payload's sum.
     */
    private void finishHeaders(int index, MutableDirectBuffer out, int at, int payload, long payloadSum) {
        int ip = at + ipOffset;
        int tcp = at + tcpOffset;
        int tcpHeader = headerLength - tcpOffset;
        int tcpLength = tcpHeader + payload;
        long pseudo;
        if (ipv4) {
            int ipHeader = tcpOffset - ipOffset;
            out.putShort(ip + Ipv4View.TOTAL_LENGTH_OFFSET, (short) (ipHeader + tcpLength), NETWORK);
            int id = out.getShort(ip + Ipv4View.IDENTIFICATION_OFFSET, NETWORK) & 0xFFFF;
            out.putShort(ip + Ipv4View.IDENTIFICATION_OFFSET, (short) (id + index), NETWORK);
            out.putShort(ip + Ipv4View.CHECKSUM_OFFSET, (short) Checksums.ipv4Header(out, ip, ipHeader), NETWORK);
            pseudo = Checksums.pseudoHeaderIpv4(out.getInt(ip + Ipv4View.SOURCE_OFFSET, NETWORK),
                out.getInt(ip + Ipv4View.DESTINATION_OFFSET, NETWORK), Ipv4View.PROTOCOL_TCP, tcpLength);
        } else {
            out.putShort(ip + Ipv6View.PAYLOAD_LENGTH_OFFSET, (short) tcpLength, NETWORK);
            pseudo = Checksums.pseudoHeaderIpv6(out, ip, Ipv4View.PROTOCOL_TCP, tcpLength);
        }
        int seq = out.getInt(tcp + TcpView.SEQUENCE_OFFSET, NETWORK);
        out.putInt(tcp + TcpView.SEQUENCE_OFFSET, seq + index * mss, NETWORK);
        int flagsAt = tcp + TcpView.DATA_OFFSET_FLAGS_OFFSET + 1;
        int flags = out.getByte(flagsAt) & 0xFF;
        if (index != segments - 1) {
            flags &= ~(FLAG_FIN | FLAG_PSH);
        }
        if (index != 0) {
            flags &= ~FLAG_CWR;
        }
        out.putByte(flagsAt, (byte) flags);
        out.putShort(tcp + TcpView.CHECKSUM_OFFSET,
            (short) Checksums.transport(out, tcp, tcpHeader, pseudo + payloadSum, TcpView.CHECKSUM_OFFSET), NETWORK);
    }

    /**
     * Completes a partial checksum ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM}): the field at {@code start + offset}
     * holds the pseudo-header sum; the one's complement of the sum from {@code start} to the end goes there.
     */
    static boolean completeChecksum(MutableDirectBuffer frame, int frameOffset, int length, int start, int offset) {
        int field = start + offset;
        if (start < 0 || field + 2 > length) {
            return false;
        }
        long sum = Checksums.sum(frame, frameOffset + start, length - start, 0);
        frame.putShort(frameOffset + field, (short) Checksums.finish(sum), NETWORK);
        return true;
    }
}
