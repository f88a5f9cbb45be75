package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.packet.Checksums;
import io.meshd.packet.EthernetView;
import io.meshd.packet.IcmpView;
import io.meshd.packet.Ipv4;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.TcpView;
import io.meshd.packet.testing.TestFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ClosedPortReplyTest {
    private static final int IP = EthernetView.HEADER_LENGTH;
    private static final int CLIENT = Ipv4.parse("10.0.9.2");
    private static final int VIP = Ipv4.parse("10.0.9.100");

    private final ClosedPortReply replies = new ClosedPortReply();
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[ClosedPortReply.MAX_LENGTH]);

    private static UnsafeBuffer segment(int flags, long seq, long ack, int payload) {
        UnsafeBuffer frame = VipNatTest.tcp(CLIENT, VIP, 40_000, 443, payload);
        TcpView tcp = new TcpView().wrap(frame, IP + 20, frame.capacity() - IP - 20);
        tcp.sequenceNumber(seq).acknowledgmentNumber(ack).headerLengthAndFlags(TcpView.MIN_HEADER_LENGTH, flags);
        long pseudo = Checksums.pseudoHeaderIpv4(CLIENT, VIP, Ipv4View.PROTOCOL_TCP, frame.capacity() - IP - 20);
        tcp.checksum(0).checksum(Checksums.transport(frame, IP + 20, frame.capacity() - IP - 20, pseudo,
            TcpView.CHECKSUM_OFFSET));
        return frame;
    }

    private int answer(UnsafeBuffer frame) {
        return replies.write(frame, IP, frame.capacity() - IP, reply, 0);
    }

    private void assertFromVipToClient(int protocol, int length) {
        Ipv4View ip = new Ipv4View().wrap(reply, 0, length);
        assertTrue(ip.isWellFormed() && ip.hasValidChecksum(), "a valid IPv4 header");
        assertEquals(VIP, ip.source());
        assertEquals(CLIENT, ip.destination());
        assertEquals(protocol, ip.protocol());
        assertEquals(length, ip.totalLength());
    }

    private TcpView assertValidReset(int length) {
        assertFromVipToClient(Ipv4View.PROTOCOL_TCP, length);
        long pseudo = Checksums.pseudoHeaderIpv4(VIP, CLIENT, Ipv4View.PROTOCOL_TCP, TcpView.MIN_HEADER_LENGTH);
        assertEquals(0, Checksums.finish(Checksums.sum(reply, 20, TcpView.MIN_HEADER_LENGTH, pseudo)) & 0xFFFF,
            "the TCP checksum verifies");
        TcpView rst = new TcpView().wrap(reply, 20, TcpView.MIN_HEADER_LENGTH);
        assertEquals(443, rst.sourcePort());
        assertEquals(40_000, rst.destinationPort());
        return rst;
    }

    @Test
    void shouldResetASynWithAnAckOfItsSequencePlusOne() {
        int length = answer(segment(TcpView.SYN, 1000, 0, 0));

        TcpView rst = assertValidReset(length);
        assertEquals(TcpView.RST | TcpView.ACK, rst.flags());
        assertEquals(0, rst.sequenceNumber());
        assertEquals(1001, rst.acknowledgmentNumber());
    }

    @Test
    void shouldResetAnAckedSegmentFromItsAcknowledgment() {
        int length = answer(segment(TcpView.ACK | TcpView.PSH, 5000, 0xFFFF_FFF0L, 100));

        TcpView rst = assertValidReset(length);
        assertEquals(TcpView.RST, rst.flags());
        assertEquals(0xFFFF_FFF0L, rst.sequenceNumber());
    }

    @Test
    void shouldCountPayloadAndFinAndWrapTheAcknowledgment() {
        int length = answer(segment(TcpView.FIN, 0xFFFF_FFFFL, 0, 10));

        assertEquals(10, assertValidReset(length).acknowledgmentNumber(), "2^32 - 1 + 10 + FIN wraps to 10");
    }

    @Test
    void shouldNeverAnswerAReset() {
        assertEquals(0, answer(segment(TcpView.RST, 1, 0, 0)));
        assertEquals(0, answer(segment(TcpView.RST | TcpView.ACK, 1, 1, 0)));
    }

    @Test
    void shouldAnswerUdpWithPortUnreachableQuotingTheDatagram() {
        UnsafeBuffer datagram = TestFrames.udp(1, 2, CLIENT, VIP, 41_000, 53, 30);
        int length = answer(datagram);

        assertFromVipToClient(Ipv4View.PROTOCOL_ICMP, length);
        IcmpView icmp = new IcmpView().wrap(reply, 20, length - 20);
        assertEquals(IcmpView.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(IcmpView.CODE_PORT_UNREACHABLE, icmp.code());
        assertTrue(icmp.hasValidChecksum());
        int original = datagram.capacity() - IP;
        assertEquals(20 + 8 + original, length, "the whole datagram is quoted");
        for (int i = 0; i < original; i++) {
            assertEquals(datagram.getByte(IP + i), reply.getByte(28 + i), "quoted byte " + i);
        }
    }

    @Test
    void shouldKeepAPortUnreachableWithin576Bytes() {
        UnsafeBuffer big = TestFrames.udp(1, 2, CLIENT, VIP, 41_000, 53, 1400);

        assertEquals(ClosedPortReply.MAX_LENGTH, answer(big));
        assertTrue(new IcmpView().wrap(reply, 20, ClosedPortReply.MAX_LENGTH - 20).hasValidChecksum());
    }

    @Test
    void shouldNotAnswerGarbageOrOtherProtocols() {
        assertEquals(0, replies.write(new UnsafeBuffer(new byte[10]), 0, 10, reply, 0));
        UnsafeBuffer echo = TestFrames.capture("ipv4-icmp-echo-request");
        assertEquals(0, answer(echo));
    }
}
