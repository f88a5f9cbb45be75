package io.meshd.packet;

import io.meshd.packet.testing.TestFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ICMPv4 and ICMPv6 views over frames captured from Linux (ping and a router with a 1280-byte link). */
class IcmpViewTest {
    private static final int IPV4_AT = EthernetView.HEADER_LENGTH;
    private static final int ICMP_AT = IPV4_AT + Ipv4View.MIN_HEADER_LENGTH;
    private static final int ICMPV6_AT = IPV4_AT + Ipv6View.HEADER_LENGTH;
    private static final int HOST_A = Ipv4.parse("10.200.1.1");
    private static final int HOST_C = Ipv4.parse("10.200.2.2");

    private static IcmpView icmp(UnsafeBuffer frame) {
        Ipv4View ip = new Ipv4View().wrap(frame, IPV4_AT, frame.capacity() - IPV4_AT);
        assertEquals(Ipv4View.PROTOCOL_ICMP, ip.protocol());
        return new IcmpView().wrap(frame, ip.payloadOffset(), ip.payloadLength());
    }

    private static Icmpv6View icmpv6(UnsafeBuffer frame) {
        Ipv6View ip = new Ipv6View().wrap(frame, IPV4_AT, frame.capacity() - IPV4_AT);
        assertEquals(Icmpv6View.PROTOCOL_ICMPV6, ip.nextHeader());
        return new Icmpv6View().wrap(frame, ip.payloadOffset(), ip.payloadLength());
    }

    private static long pseudoHeader(Icmpv6View icmp) {
        return Checksums.pseudoHeaderIpv6(icmp.buffer(), IPV4_AT, Icmpv6View.PROTOCOL_ICMPV6, icmp.length());
    }

    @Test
    void shouldReadACapturedEchoRequest() {
        IcmpView icmp = icmp(TestFrames.capture("ipv4-icmp-echo-request"));

        assertEquals(IcmpView.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertTrue(icmp.isEcho());
        assertFalse(icmp.isError());
        assertTrue(icmp.isWellFormed());
        assertEquals(0x1c2b, icmp.identifier());
        assertEquals(1, icmp.sequence());
        assertEquals(56, icmp.payloadLength());
        assertTrue(icmp.hasValidChecksum());
        assertSame(FrameException.malformed(), assertThrows(FrameException.class, icmp::invokingPacketOffset));
    }

    @Test
    void shouldFindTheFlowInsideACapturedFragmentationNeededError() {
        IcmpView icmp = icmp(TestFrames.capture("ipv4-icmp-fragmentation-needed"));

        assertTrue(icmp.isError());
        assertTrue(icmp.isFragmentationNeeded());
        assertEquals(1280, icmp.nextHopMtu());
        assertTrue(icmp.hasValidChecksum());
        assertTrue(icmp.isWellFormed());
        assertEquals(ICMP_AT + 8, icmp.invokingPacketOffset());
        assertEquals(576 - 20 - 8, icmp.invokingPacketLength(), "Linux quotes up to 576 bytes of IP");

        Ipv4View quoted = new Ipv4View().wrap(icmp.buffer(), icmp.invokingPacketOffset(), icmp.invokingPacketLength());
        assertEquals(HOST_A, quoted.source());
        assertEquals(HOST_C, quoted.destination());
        assertEquals(Ipv4View.PROTOCOL_ICMP, quoted.protocol());
        assertTrue(quoted.dontFragment());
        assertEquals(1328, quoted.totalLength());
        assertFalse(quoted.isWellFormed(), "the quote is cut short of the total length it declares");
        IcmpView quotedEcho = new IcmpView().wrap(icmp.buffer(), quoted.payloadOffset(), 8);
        assertEquals(0x1c2b, quotedEcho.identifier());
        assertEquals(2, quotedEcho.sequence());
    }

    @Test
    void shouldFindThePortsInsideACapturedPortUnreachableError() {
        UnsafeBuffer frame = TestFrames.capture("ipv4-icmp-port-unreachable");
        IcmpView icmp = icmp(frame);

        assertEquals(IcmpView.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(IcmpView.CODE_PORT_UNREACHABLE, icmp.code());
        assertFalse(icmp.isFragmentationNeeded());
        Ipv4View quoted = new Ipv4View().wrap(frame, icmp.invokingPacketOffset(), icmp.invokingPacketLength());
        assertEquals(Ipv4View.PROTOCOL_UDP, quoted.protocol());
        UdpView udp = new UdpView().wrap(frame, quoted.payloadOffset(), 8);
        assertEquals(5353, udp.destinationPort());
        assertEquals(HOST_C, new Ipv4View().wrap(frame, IPV4_AT, 20).source());
    }

    @Test
    void shouldRewriteAnEchoAndKeepTheChecksumValid() {
        UnsafeBuffer frame = TestFrames.capture("ipv4-icmp-echo-request");
        IcmpView icmp = icmp(frame);
        int before = icmp.checksum();

        icmp.echo(0xBEEF, 1).checksum(Checksums.update16(before, 0x1c2b, 0xBEEF));

        assertTrue(icmp.hasValidChecksum(), "RFC 1624 update of the identifier");
        int incremental = icmp.checksum();
        icmp.checksum(0).updateChecksum();
        assertEquals(incremental, icmp.checksum(), "full recomputation agrees");
        icmp.typeAndCode(IcmpView.TYPE_ECHO_REPLY, 0);
        assertFalse(icmp.hasValidChecksum(), "a changed type breaks the checksum");
    }

    @Test
    void shouldRejectErrorsThatDoNotQuoteAWholeIpv4Header() {
        UnsafeBuffer frame = TestFrames.capture("ipv4-icmp-fragmentation-needed");
        int quotedAt = ICMP_AT + 8;
        IcmpView icmp = new IcmpView();

        assertFalse(icmp.wrap(frame, ICMP_AT, 8 + 19).isWellFormed(), "19 bytes of a 20-byte header");
        assertTrue(icmp.wrap(frame, ICMP_AT, 8 + 20).isWellFormed(), "a whole header, no payload");
        frame.putByte(quotedAt, (byte) 0x44);
        assertFalse(icmp.wrap(frame, ICMP_AT, 100).isWellFormed(), "IHL below 5");
        frame.putByte(quotedAt, (byte) 0x4F);
        assertFalse(icmp.wrap(frame, ICMP_AT, 8 + 59).isWellFormed(), "IHL 15 past the window");
        assertTrue(icmp.wrap(frame, ICMP_AT, 8 + 60).isWellFormed(), "IHL 15 inside the window");
        frame.putByte(quotedAt, (byte) 0x65);
        assertFalse(icmp.wrap(frame, ICMP_AT, 100).isWellFormed(), "an IPv6 quote in an ICMPv4 error");
        assertThrows(FrameException.class, icmp::invokingPacketLength);
        assertFalse(icmp.tryWrap(frame, ICMP_AT, 7), "shorter than the 8-byte header");
    }

    @Test
    void shouldReadACapturedIcmpv6EchoRequest() {
        Icmpv6View icmp = icmpv6(TestFrames.capture("ipv6-icmpv6-echo-request"));

        assertEquals(Icmpv6View.TYPE_ECHO_REQUEST, icmp.type());
        assertTrue(icmp.isEcho());
        assertFalse(icmp.isError());
        assertEquals(0x1c2b, icmp.identifier());
        assertEquals(1, icmp.sequence());
        assertTrue(icmp.hasValidChecksum(pseudoHeader(icmp)));
        assertFalse(icmp.hasValidChecksum(0), "the checksum covers the pseudo-header");
    }

    @Test
    void shouldFindTheFlowInsideACapturedPacketTooBigError() {
        UnsafeBuffer frame = TestFrames.capture("ipv6-icmpv6-packet-too-big");
        Icmpv6View icmp = icmpv6(frame);

        assertTrue(icmp.isPacketTooBig());
        assertTrue(icmp.isError());
        assertEquals(1280, icmp.mtu());
        assertTrue(icmp.hasValidChecksum(pseudoHeader(icmp)));
        assertEquals(1280 - 40 - 8, icmp.invokingPacketLength(), "the quote fills the minimum MTU");
        Ipv6View quoted = new Ipv6View().wrap(frame, icmp.invokingPacketOffset(), icmp.invokingPacketLength());
        assertEquals(0xfd00_0001_0000_0000L, quoted.sourceHigh());
        assertEquals(1L, quoted.sourceLow());
        assertEquals(0xfd00_0002_0000_0000L, quoted.destinationHigh());
        assertEquals(2L, quoted.destinationLow());
        assertEquals(Icmpv6View.PROTOCOL_ICMPV6, quoted.nextHeader());
    }

    @Test
    void shouldRejectIcmpv6ErrorsThatDoNotQuoteAWholeIpv6Header() {
        UnsafeBuffer frame = TestFrames.capture("ipv6-icmpv6-port-unreachable");
        Icmpv6View icmp = new Icmpv6View();

        assertTrue(icmp.wrap(frame, ICMPV6_AT, 8 + 40).isWellFormed());
        assertFalse(icmp.wrap(frame, ICMPV6_AT, 8 + 39).isWellFormed());
        frame.putByte(ICMPV6_AT + 8, (byte) 0x45);
        assertFalse(icmp.wrap(frame, ICMPV6_AT, 8 + 40).isWellFormed(), "an IPv4 quote in an ICMPv6 error");
    }

    @Test
    void shouldWriteAnIcmpv6ChecksumThatVerifies() {
        UnsafeBuffer frame = TestFrames.capture("ipv6-icmpv6-echo-request");
        Icmpv6View icmp = icmpv6(frame);
        int captured = icmp.checksum();

        icmp.checksum(0).updateChecksum(pseudoHeader(icmp));

        assertEquals(captured, icmp.checksum(), "the kernel's checksum, recomputed");
    }
}
