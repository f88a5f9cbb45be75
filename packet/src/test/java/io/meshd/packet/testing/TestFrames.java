package io.meshd.packet.testing;

import io.meshd.packet.ArpView;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.MacAddress;
import io.meshd.packet.UdpView;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.HexFormat;

/**
 * Builds real frames for tests: from hex dumps, or field by field.
 */
public final class TestFrames {
    private TestFrames() {
    }

    /**
     * A buffer holding exactly the bytes of a hex dump (spaces and newlines ignored).
     *
     * @param hex the dump
     * @return a buffer of that length
     */
    public static UnsafeBuffer hex(String hex) {
        return new UnsafeBuffer(HexFormat.of().parseHex(hex.replaceAll("\\s", "")));
    }

    /**
     * An Ethernet frame with a payload of counting bytes.
     *
     * @param destination destination MAC
     * @param source source MAC
     * @param type EtherType
     * @param payloadLength payload bytes
     * @return a buffer holding exactly the frame
     */
    public static UnsafeBuffer ethernet(long destination, long source, int type, int payloadLength) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[EthernetView.HEADER_LENGTH + payloadLength]);
        new EthernetView().wrap(buffer, 0, buffer.capacity()).destination(destination).source(source).etherType(type);
        for (int i = 0; i < payloadLength; i++) {
            buffer.putByte(EthernetView.HEADER_LENGTH + i, (byte) i);
        }
        return buffer;
    }

    /**
     * A broadcast ARP request.
     *
     * @param senderMac the asking MAC
     * @param senderIp the asking address
     * @param targetIp the address asked for
     * @return a buffer holding exactly the 42-byte frame
     */
    public static UnsafeBuffer arpRequest(long senderMac, int senderIp, int targetIp) {
        UnsafeBuffer buffer = ethernet(MacAddress.BROADCAST, senderMac, EthernetView.TYPE_ARP, ArpView.HEADER_LENGTH);
        new ArpView().wrap(buffer, EthernetView.HEADER_LENGTH, ArpView.HEADER_LENGTH)
            .write(ArpView.OP_REQUEST, senderMac, senderIp, 0, targetIp);
        return buffer;
    }

    /**
     * An Ethernet/IPv4/UDP frame with valid IPv4 and UDP checksums.
     *
     * @param destination destination MAC
     * @param source source MAC
     * @param sourceIp source address
     * @param destinationIp destination address
     * @param sourcePort UDP source port
     * @param destinationPort UDP destination port
     * @param payloadLength UDP payload bytes
     * @return a buffer holding exactly the frame
     */
    public static UnsafeBuffer udp(long destination, long source, int sourceIp, int destinationIp,
        int sourcePort, int destinationPort, int payloadLength) {
        int ipLength = Ipv4View.MIN_HEADER_LENGTH + UdpView.HEADER_LENGTH + payloadLength;
        UnsafeBuffer buffer = ethernet(destination, source, EthernetView.TYPE_IPV4, ipLength);
        Ipv4View ip = new Ipv4View().wrap(buffer, EthernetView.HEADER_LENGTH, ipLength);
        ip.headerLength(Ipv4View.MIN_HEADER_LENGTH).tos(0).totalLength(ipLength).identification(0x1234)
            .unfragmented(true).ttl(64).protocol(Ipv4View.PROTOCOL_UDP).source(sourceIp).destination(destinationIp)
            .updateChecksum();
        int udpAt = ip.payloadOffset();
        UdpView udp = new UdpView().wrap(buffer, udpAt, ipLength - Ipv4View.MIN_HEADER_LENGTH);
        udp.sourcePort(sourcePort).destinationPort(destinationPort)
            .datagramLength(UdpView.HEADER_LENGTH + payloadLength);
        long pseudo = io.meshd.packet.Checksums.pseudoHeaderIpv4(sourceIp, destinationIp,
            Ipv4View.PROTOCOL_UDP, udp.datagramLength());
        udp.checksum(io.meshd.packet.Checksums.udp(io.meshd.packet.Checksums.transport(buffer, udpAt,
            udp.datagramLength(), pseudo, UdpView.CHECKSUM_OFFSET)));
        return buffer;
    }
}
