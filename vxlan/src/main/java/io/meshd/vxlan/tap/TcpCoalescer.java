package io.meshd.vxlan.tap;

import io.meshd.shims.IoVectors;
import io.meshd.packet.Checksums;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.TcpView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * GRO for the TAP: merges consecutive TCP/IPv4 segments of one flow, delivered to one port within one receive
 * burst, into a super-frame written with a single {@code write} and a virtio-net GSO header (TCPV4, checksum
 * partial), as a NIC's receive offload would. Segments merge when every header field that must match does
 * (Linux's {@code tcp_gro_receive} rules: addresses, ports, ACK number, header length, flags but PSH, window and
 * options), the sequence numbers are contiguous and all but the last carry the same payload size.
 *
 * <p>Only the first segment's headers are copied (they are rewritten for the super-frame); each payload is written
 * from where it was received, gathered with {@code writev}, so the caller must keep the received buffers alive and
 * unchanged until {@link #end()} (the VTEP holds a burst's datagrams until then). Payloads in heap memory are
 * copied instead. One instance per event-loop thread; allocation-free.
 */
final class TcpCoalescer {

    private static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;
    private static final int IP = EthernetView.HEADER_LENGTH;
    private static final int TCP = IP + Ipv4View.MIN_HEADER_LENGTH;
    private static final int FLAG_PSH = 0x08;
    private static final int FLAG_ACK = 0x10;
    /** The IPv4 total length field caps a super-frame. */
    private static final int MAX_IP_LENGTH = 65535;

    /** Sixty-four pieces: the headers and up to 63 payloads (a 64 KiB super-frame of 1 KiB segments). */
    private static final int MAX_PIECES = 64;

    /** The virtio-net header and the super-frame's headers, then payloads copied from heap buffers. */
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH
        + EthernetView.HEADER_LENGTH + MAX_IP_LENGTH));
    private final IoVectors pieces = new IoVectors(MAX_PIECES);
    /** Bytes of {@link #out} in use. */
    private int used;
    private boolean active;
    private CoalescedWriter port;
    private int frameLength;
    private int headerLength;
    private int segments;
    private int mss;
    private int nextSeq;
    private boolean closed;

    void begin() {
        active = true;
    }

    void end() {
        flush();
        active = false;
    }

    boolean active() {
        return active;
    }

    /** Whether a super-frame is being gathered: its payloads still point into the received buffers. */
    boolean pending() {
        return port != null;
    }

    /** Takes the frame into the pending super-frame, or starts one; false if it cannot be merged at all. */
    boolean offer(CoalescedWriter to, DirectBuffer frame, int offset, int length) {
        int header = tcpHeaderEnd(frame, offset, length);
        if (port != null && !closed && to == port && header == headerLength && header > 0
            && appendable(frame, offset, length)) {
            int payload = length - header;
            addPayload(frame, offset + header, payload);
            frameLength += payload;
            nextSeq += payload;
            segments++;
            closed = payload < mss || (frame.getByte(offset + TCP + 13) & FLAG_PSH) != 0;
            return true;
        }
        flush();
        int flags = header > 0 ? frame.getByte(offset + TCP + 13) & 0xFF : 0;
        if (header <= 0 || flags != FLAG_ACK || length == header) {
            return false;
        }
        out.putBytes(VirtioNetHeader.LENGTH, frame, offset, header);
        used = VirtioNetHeader.LENGTH + header;
        pieces.clear();
        pieces.add(out.addressOffset(), used);
        addPayload(frame, offset + header, length - header);
        port = to;
        frameLength = length;
        headerLength = header;
        segments = 1;
        mss = length - header;
        nextSeq = frame.getInt(offset + TCP + TcpView.SEQUENCE_OFFSET, NETWORK) + mss;
        closed = false;
        return true;
    }

    /** Writes the pending super-frame (or the single frame) to its port. */
    void flush() {
        CoalescedWriter to = port;
        if (to == null) {
            return;
        }
        port = null;
        int at = VirtioNetHeader.LENGTH;
        if (segments == 1) {
            VirtioNetHeader.writeNone(out, 0);
            to.writeCoalesced(pieces, 1);
            return;
        }
        int ipLength = frameLength - IP;
        out.putShort(at + IP + Ipv4View.TOTAL_LENGTH_OFFSET, (short) ipLength, NETWORK);
        out.putShort(at + IP + Ipv4View.CHECKSUM_OFFSET,
            (short) Checksums.ipv4Header(out, at + IP, Ipv4View.MIN_HEADER_LENGTH), NETWORK);
        int tcpLength = frameLength - TCP;
        // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum; the kernel never needs the rest for a
        // local socket (the outer UDP checksum covered these bytes) and would complete it when forwarding.
        long pseudo = Checksums.pseudoHeaderIpv4(out.getInt(at + IP + Ipv4View.SOURCE_OFFSET, NETWORK),
            out.getInt(at + IP + Ipv4View.DESTINATION_OFFSET, NETWORK), Ipv4View.PROTOCOL_TCP, tcpLength);
        out.putShort(at + TCP + TcpView.CHECKSUM_OFFSET, (short) Checksums.fold(pseudo), NETWORK);
        VirtioNetHeader.writeGsoTcpv4(out, 0, headerLength, mss, TCP, TcpView.CHECKSUM_OFFSET);
        to.writeCoalesced(pieces, segments);
    }

    /** Adds a payload: in place when it lies in native memory, else copied behind what {@link #out} holds. */
    private void addPayload(DirectBuffer frame, int at, int length) {
        if (frame.byteArray() == null) {
            pieces.add(frame.addressOffset() + at, length);
            return;
        }
        out.putBytes(used, frame, at, length);
        pieces.add(out.addressOffset() + used, length);
        used += length;
    }

    private boolean appendable(DirectBuffer frame, int offset, int length) {
        int payload = length - headerLength;
        if (payload <= 0 || payload > mss || frameLength + payload - IP > MAX_IP_LENGTH || pieces.remaining() == 0
            || frame.getInt(offset + TCP + TcpView.SEQUENCE_OFFSET, NETWORK) != nextSeq) {
            return false;
        }
        int base = VirtioNetHeader.LENGTH;
        // Ethernet header, IP version..TOS, flags/fragment..protocol, addresses.
        if (!same(frame, offset, base, 0, IP + 2) || !same(frame, offset, base, IP + 6, 4)
            || !same(frame, offset, base, IP + 12, 8)) {
            return false;
        }
        // TCP ports, ACK number, data offset, flags (but PSH), window, urgent pointer and options.
        if (!same(frame, offset, base, TCP, 4) || !same(frame, offset, base, TCP + 8, 5)
            || ((frame.getByte(offset + TCP + 13) ^ out.getByte(base + TCP + 13)) & ~FLAG_PSH) != 0
            || !same(frame, offset, base, TCP + 14, 2)
            || !same(frame, offset, base, TCP + 18, headerLength - TCP - 18)) {
            return false;
        }
        return true;
    }

    /** Whether {@code length} bytes at {@code at} are equal in the frame and the pending one: 8 bytes a step. */
    private boolean same(DirectBuffer frame, int offset, int base, int at, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (frame.getLong(offset + at + i) != out.getLong(base + at + i)) {
                return false;
            }
        }
        if (i + 4 <= length) {
            if (frame.getInt(offset + at + i) != out.getInt(base + at + i)) {
                return false;
            }
            i += 4;
        }
        for (; i < length; i++) {
            if (frame.getByte(offset + at + i) != out.getByte(base + at + i)) {
                return false;
            }
        }
        return true;
    }

    /** The end of the TCP header for a plain TCP/IPv4 frame (no IP options, no fragment), or -1. */
    private static int tcpHeaderEnd(DirectBuffer frame, int offset, int length) {
        if (length < TCP + TcpView.MIN_HEADER_LENGTH
            || (frame.getShort(offset + EthernetView.ETHER_TYPE_OFFSET, NETWORK) & 0xFFFF) != EthernetView.TYPE_IPV4
            || frame.getByte(offset + IP) != 0x45
            || frame.getByte(offset + IP + Ipv4View.PROTOCOL_OFFSET) != Ipv4View.PROTOCOL_TCP
            || (frame.getShort(offset + IP + Ipv4View.FRAGMENT_OFFSET, NETWORK) & 0x3FFF) != 0
            || (frame.getShort(offset + IP + Ipv4View.TOTAL_LENGTH_OFFSET, NETWORK) & 0xFFFF) != length - IP) {
            return -1;
        }
        int end = TCP + ((frame.getByte(offset + TCP + TcpView.DATA_OFFSET_FLAGS_OFFSET) & 0xF0) >>> 4) * 4;
        return end >= TCP + TcpView.MIN_HEADER_LENGTH && end <= length ? end : -1;
    }
}
