package io.meshd.lb;

import io.meshd.packet.Checksums;
import io.meshd.packet.IcmpView;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.TcpView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What a kernel answers to a packet for a closed port, built for a VIP with no service on that port or no backend
 * left: a TCP reset (RFC 9293 section 3.10.7.1) or an ICMP port unreachable (RFC 1122 3.2.2.1, RFC 1812 4.3.2.3).
 *
 * <ul>
 *   <li>TCP: a segment with RST is never answered. To one with ACK: RST with seq = its ack. Otherwise: RST|ACK with
 *       seq 0 and ack = its seq + payload length + 1 for SYN + 1 for FIN.</li>
 *   <li>UDP: ICMP type 3 code 3 quoting the original IP header and as much of its payload as keeps the error within
 *       576 bytes.</li>
 *   <li>Anything else, or a packet that does not parse: no answer.</li>
 * </ul>
 *
 * <p>The reply comes from the address the packet was sent to (the VIP), TTL 64, DF set, checksums valid. The caller
 * puts it in an Ethernet frame with the addresses swapped. One instance per thread; allocation-free.
 */
public final class ClosedPortReply {
    /** The largest reply: RFC 1812's bound on ICMP errors. */
    public static final int MAX_LENGTH = 576;
    private static final int TTL = 64;
    private static final int IP_HEADER = Ipv4View.MIN_HEADER_LENGTH;

    private final Ipv4View in = new Ipv4View();
    private final TcpView inTcp = new TcpView();
    private final Ipv4View out = new Ipv4View();
    private final TcpView outTcp = new TcpView();
    private final IcmpView outIcmp = new IcmpView();

    /**
     * Writes the answer to a packet.
     *
     * @param packet the buffer holding the IPv4 packet that found the port closed
     * @param offset where its IPv4 header starts
     * @param length bytes of it available
     * @param reply where to write the answer, at least {@link #MAX_LENGTH} bytes from {@code replyOffset}
     * @param replyOffset where the answer's IPv4 header starts
     * @return the answer's length, or 0 when none is due
     */
    public int write(DirectBuffer packet, int offset, int length, MutableDirectBuffer reply, int replyOffset) {
        if (!in.tryWrap(packet, offset, length) || !in.isWellFormed() || in.isFragment()) {
            return 0;
        }
        if (in.protocol() == Ipv4View.PROTOCOL_TCP) {
            return tcpReset(packet, reply, replyOffset);
        }
        if (in.protocol() == Ipv4View.PROTOCOL_UDP) {
            return portUnreachable(packet, offset, reply, replyOffset);
        }
        return 0;
    }

    private int tcpReset(DirectBuffer packet, MutableDirectBuffer reply, int replyOffset) {
        if (!inTcp.tryWrap(packet, in.payloadOffset(), in.payloadLength()) || !inTcp.isWellFormed()
            || (inTcp.flags() & TcpView.RST) != 0) {
            return 0;
        }
        int total = IP_HEADER + TcpView.MIN_HEADER_LENGTH;
        header(reply, replyOffset, total, Ipv4View.PROTOCOL_TCP);
        outTcp.wrap(reply, replyOffset + IP_HEADER, TcpView.MIN_HEADER_LENGTH);
        outTcp.sourcePort(inTcp.destinationPort()).destinationPort(inTcp.sourcePort()).window(0).checksum(0);
        reply.putShort(replyOffset + IP_HEADER + TcpView.URGENT_OFFSET, (short) 0);
        int flags = inTcp.flags();
        if ((flags & TcpView.ACK) != 0) {
            outTcp.sequenceNumber(inTcp.acknowledgmentNumber()).acknowledgmentNumber(0)
                .headerLengthAndFlags(TcpView.MIN_HEADER_LENGTH, TcpView.RST);
        } else {
            long consumed = in.payloadLength() - inTcp.headerLength() + ((flags & TcpView.SYN) != 0 ? 1 : 0)
                + ((flags & TcpView.FIN) != 0 ? 1 : 0);
            outTcp.sequenceNumber(0).acknowledgmentNumber(inTcp.sequenceNumber() + consumed & 0xFFFF_FFFFL)
                .headerLengthAndFlags(TcpView.MIN_HEADER_LENGTH, TcpView.RST | TcpView.ACK);
        }
        long pseudo = Checksums.pseudoHeaderIpv4(out.source(), out.destination(), Ipv4View.PROTOCOL_TCP,
            TcpView.MIN_HEADER_LENGTH);
        outTcp.checksum(Checksums.transport(reply, replyOffset + IP_HEADER, TcpView.MIN_HEADER_LENGTH, pseudo,
            TcpView.CHECKSUM_OFFSET));
        return total;
    }

    private int portUnreachable(DirectBuffer packet, int offset, MutableDirectBuffer reply, int replyOffset) {
        int quoted = Math.min(in.totalLength(), MAX_LENGTH - IP_HEADER - IcmpView.HEADER_LENGTH);
        int total = IP_HEADER + IcmpView.HEADER_LENGTH + quoted;
        header(reply, replyOffset, total, Ipv4View.PROTOCOL_ICMP);
        int icmpAt = replyOffset + IP_HEADER;
        reply.putInt(icmpAt + IcmpView.IDENTIFIER_OFFSET, 0);
        reply.putBytes(icmpAt + IcmpView.HEADER_LENGTH, packet, offset, quoted);
        outIcmp.wrap(reply, icmpAt, IcmpView.HEADER_LENGTH + quoted);
        outIcmp.typeAndCode(IcmpView.TYPE_DESTINATION_UNREACHABLE, IcmpView.CODE_PORT_UNREACHABLE).updateChecksum();
        return total;
    }

    /** The reply's IPv4 header: from where the packet was going, back to where it came from. */
    private void header(MutableDirectBuffer reply, int at, int total, int protocol) {
        out.wrap(reply, at, total);
        out.headerLength(IP_HEADER).tos(0).totalLength(total).identification(0).unfragmented(true).ttl(TTL)
            .protocol(protocol).source(in.destination()).destination(in.source()).updateChecksum();
    }
}
