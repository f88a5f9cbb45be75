package io.meshd.packet;

import io.meshd.packet.testing.TestFrames;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderViewsTest {
    /** A UDP DNS query for example.com from 192.168.0.10:53211 to 192.168.0.1:53, tagged with VLAN 100. */
    private static final String TAGGED_DNS_QUERY = ""
        + "ffffffffffff 02420a000002 8100 2064 0800"
        + "45000039 1c4640004011 9cdf c0a8000a c0a80001"
        + "cfdb0035 0025 0000"
        + "abcd01000001000000000000076578616d706c6503636f6d0000010001";
    /** The header from Wikipedia's "IPv4 header checksum" example; its checksum is 0xb861. */
    private static final String WIKIPEDIA_IPV4 = "450000730000400040110000c0a80001c0a800c7";

    @Test
    void shouldReadEthernetAndVlanHeaders() {
        UnsafeBuffer frame = TestFrames.hex(TAGGED_DNS_QUERY);
        EthernetView ethernet = new EthernetView().wrap(frame, 0, frame.capacity());
        VlanView vlan = new VlanView().wrap(frame, 0, frame.capacity());

        assertTrue(ethernet.isWellFormed());
        assertTrue(ethernet.isVlanTagged());
        assertEquals(MacAddress.BROADCAST, ethernet.destination());
        assertEquals(MacAddress.parse("02:42:0a:00:00:02"), ethernet.source());
        assertEquals(EthernetView.TYPE_VLAN, ethernet.etherType());
        assertTrue(vlan.isWellFormed());
        assertEquals(1, vlan.priority());
        assertFalse(vlan.dropEligible());
        assertEquals(100, vlan.vlanId());
        assertEquals(EthernetView.TYPE_IPV4, vlan.etherType());
        assertEquals(18, vlan.payloadOffset());
    }

    @Test
    void shouldReadIpv4AndUdpHeadersOfARealQuery() {
        UnsafeBuffer frame = TestFrames.hex(TAGGED_DNS_QUERY);
        Ipv4View ip = new Ipv4View().wrap(frame, VlanView.HEADER_LENGTH, frame.capacity() - VlanView.HEADER_LENGTH);

        assertTrue(ip.isWellFormed());
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(0x39, ip.totalLength());
        assertEquals(0x1c46, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4View.PROTOCOL_UDP, ip.protocol());
        assertEquals(Ipv4.parse("192.168.0.10"), ip.source());
        assertEquals(Ipv4.parse("192.168.0.1"), ip.destination());
        assertEquals(0x39 - 20, ip.payloadLength());

        UdpView udp = new UdpView().wrap(frame, ip.payloadOffset(), ip.payloadLength());
        assertTrue(udp.isWellFormed());
        assertEquals(53211, udp.sourcePort());
        assertEquals(53, udp.destinationPort());
        assertEquals(0x25, udp.datagramLength());
        assertEquals(0x25 - 8, udp.payloadLength());
    }

    @Test
    void shouldComputeTheIpv4HeaderChecksumOfAKnownHeader() {
        UnsafeBuffer header = TestFrames.hex(WIKIPEDIA_IPV4);
        Ipv4View ip = new Ipv4View().wrap(header, 0, header.capacity());

        assertEquals(0xb861, Checksums.ipv4Header(header, 0, 20));
        assertFalse(ip.hasValidChecksum());
        ip.updateChecksum();
        assertEquals(0xb861, ip.checksum());
        assertTrue(ip.hasValidChecksum());
    }

    @Test
    void shouldFlagInconsistentIpv4Headers() {
        UnsafeBuffer header = TestFrames.hex(WIKIPEDIA_IPV4);
        Ipv4View ip = new Ipv4View().wrap(header, 0, header.capacity());

        assertFalse(ip.isWellFormed(), "total length 0x73 exceeds the 20 bytes given");
        assertThrows(FrameException.class, ip::payloadLength);
        header.putByte(0, (byte) 0x4F);
        assertThrows(FrameException.class, ip::payloadOffset, "IHL 15 = 60 bytes > 20");
        header.putByte(0, (byte) 0x44);
        assertThrows(FrameException.class, ip::payloadOffset, "IHL 4 < 5");
        header.putByte(0, (byte) 0x65);
        assertFalse(ip.isWellFormed(), "version 6");
    }

    @Test
    void shouldReadAnArpRequest() {
        UnsafeBuffer frame = TestFrames.hex("ffffffffffff 02420a000002 0806"
            + "0001 0800 06 04 0001 02420a000002 0a000002 000000000000 0a000003");
        ArpView arp = new ArpView().wrap(frame, EthernetView.HEADER_LENGTH, frame.capacity() - 14);

        assertTrue(arp.isWellFormed());
        assertEquals(ArpView.OP_REQUEST, arp.operation());
        assertEquals(MacAddress.parse("02:42:0a:00:00:02"), arp.senderMac());
        assertEquals(Ipv4.parse("10.0.0.2"), arp.senderIp());
        assertEquals(0, arp.targetMac());
        assertEquals(Ipv4.parse("10.0.0.3"), arp.targetIp());
        frame.putByte(EthernetView.HEADER_LENGTH + ArpView.HARDWARE_LENGTH_OFFSET, (byte) 8);
        assertFalse(arp.isWellFormed(), "only Ethernet/IPv4 ARP");
    }

    @Test
    void shouldReadAnIpv6TcpSyn() {
        // IPv6 SYN from 2001:db8::1 port 40000 to 2001:db8::2 port 443 with a 4-byte MSS option.
        UnsafeBuffer packet = TestFrames.hex("6 12 abcde 0018 06 40"
            + "20010db8000000000000000000000001 20010db8000000000000000000000002"
            + "9c4001bb 00000064 00000000 6002 faf0 0000 0000 020405a0");
        Ipv6View ip = new Ipv6View().wrap(packet, 0, packet.capacity());

        assertTrue(ip.isWellFormed());
        assertEquals(6, ip.version());
        assertEquals(0x12, ip.trafficClass());
        assertEquals(0xabcde, ip.flowLabel());
        assertEquals(24, ip.payloadLength());
        assertEquals(Ipv4View.PROTOCOL_TCP, ip.nextHeader());
        assertEquals(64, ip.hopLimit());
        assertEquals(0x20010db8_00000000L, ip.sourceHigh());
        assertEquals(1L, ip.sourceLow());
        assertEquals(2L, ip.destinationLow());

        TcpView tcp = new TcpView().wrap(packet, ip.payloadOffset(), ip.payloadLength());
        assertTrue(tcp.isWellFormed());
        assertEquals(40000, tcp.sourcePort());
        assertEquals(443, tcp.destinationPort());
        assertEquals(100, tcp.sequenceNumber());
        assertEquals(24, tcp.headerLength());
        assertEquals(TcpView.SYN, tcp.flags());
        assertEquals(0xfaf0, tcp.window());
        assertEquals(0, tcp.payloadLength());
    }

    @Test
    void shouldComputeTcpChecksumOverTheIpv6PseudoHeader() {
        UnsafeBuffer packet = TestFrames.hex("60000000 0018 06 40"
            + "20010db8000000000000000000000001 20010db8000000000000000000000002"
            + "9c4001bb 00000064 00000000 6002 faf0 0000 0000 020405a0");
        long pseudo = Checksums.pseudoHeaderIpv6(packet, 0, Ipv4View.PROTOCOL_TCP, 24);
        TcpView tcp = new TcpView().wrap(packet, 40, 24);

        tcp.checksum(Checksums.transport(packet, 40, 24, pseudo, TcpView.CHECKSUM_OFFSET));

        assertEquals(0xFFFF, Checksums.fold(Checksums.sum(packet, 40, 24, pseudo)), "the segment now verifies");
    }

    @Test
    void shouldWriteHeadersThatReadBack() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        Ipv4View ip = new Ipv4View().wrap(buffer, 0, 64);
        ip.headerLength(20).tos(0).totalLength(28).identification(7).unfragmented(false).ttl(1)
            .protocol(Ipv4View.PROTOCOL_UDP).source(1).destination(2).updateChecksum();
        UdpView udp = new UdpView().wrap(buffer, ip.payloadOffset(), 8);
        udp.sourcePort(1).destinationPort(2).datagramLength(8).checksum(0);
        TcpView tcp = new TcpView().wrap(buffer, 28, 36).headerLengthAndFlags(20, TcpView.SYN | TcpView.ACK)
            .sequenceNumber(0xFFFF_FFFFL).acknowledgmentNumber(1).window(1000);

        assertTrue(ip.isWellFormed());
        assertTrue(ip.hasValidChecksum());
        assertEquals(8, ip.payloadLength());
        assertEquals(0, udp.payloadLength());
        assertEquals(TcpView.SYN | TcpView.ACK, tcp.flags());
        assertEquals(0xFFFF_FFFFL, tcp.sequenceNumber());
        assertEquals(1, tcp.acknowledgmentNumber());
    }

    @Test
    void shouldRefuseWindowsTheHeaderDoesNotFitIn() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[30]);

        assertSame(FrameException.truncated(), assertThrows(FrameException.class,
            () -> new Ipv4View().wrap(buffer, 11, 19)));
        assertThrows(FrameException.class, () -> new EthernetView().wrap(buffer, 20, 14));
        assertThrows(FrameException.class, () -> new ArpView().wrap(buffer, -1, 28));
        assertThrows(FrameException.class, () -> new Ipv6View().wrap(buffer, 0, 30));
        assertFalse(new UdpView().tryWrap(buffer, 25, 8));
        assertTrue(new UdpView().tryWrap(buffer, 22, 8));
    }

    @Test
    void shouldRefuseWritesThroughAReadOnlyBuffer() {
        UnsafeBuffer delegate = new UnsafeBuffer(ByteBuffer.allocateDirect(20));
        DirectBuffer readOnly = (DirectBuffer) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {DirectBuffer.class}, (proxy, method, args) -> method.invoke(delegate, args));
        EthernetView view = new EthernetView().wrap(readOnly, 0, 20);

        assertEquals(0, view.destination());
        assertThrows(FrameException.class, () -> view.destination(1));
    }
}
