package io.meshd.packet.testing;

import io.meshd.packet.ArpView;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.MacAddress;
import io.meshd.packet.TcpView;
import io.meshd.packet.UdpView;
import io.meshd.packet.VlanView;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds real frames for tests: from hex dumps, from frames captured on a veth between network namespaces
 * ({@link #capture}), or field by field.
 */
public final class TestFrames {
    /** The names of every captured frame, for {@link #capture}: ARP, ICMP, ICMPv6, TCP and UDP over both IPs. */
    public static final List<String> CAPTURES = List.of("arp-request", "arp-reply", "ipv4-icmp-echo-request",
        "ipv4-icmp-echo-reply", "ipv4-icmp-fragmentation-needed", "ipv4-icmp-port-unreachable", "ipv4-tcp-syn",
        "ipv4-tcp-rst", "ipv4-udp", "ipv6-icmpv6-echo-request", "ipv6-icmpv6-neighbor-solicitation",
        "ipv6-icmpv6-packet-too-big", "ipv6-icmpv6-port-unreachable", "ipv6-tcp-syn", "ipv6-tcp-rst", "ipv6-udp");

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
     * A captured Ethernet frame (no FCS), from the hex dump {@code captures/<name>.hex} next to this class; lines
     * starting with {@code #} are comments.
     *
     * @param name one of {@link #CAPTURES}
     * @return a buffer holding exactly the frame
     */
    public static UnsafeBuffer capture(String name) {
        try (InputStream in = TestFrames.class.getResourceAsStream("captures/" + name + ".hex")) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return hex(text.replaceAll("(?m)^#.*$", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same frame with an 802.1Q tag inserted after the MACs.
     *
     * @param frame an untagged Ethernet frame
     * @param vlanId 0-4095
     * @return a new buffer, 4 bytes longer
     */
    public static UnsafeBuffer vlanTagged(UnsafeBuffer frame, int vlanId) {
        UnsafeBuffer tagged = new UnsafeBuffer(new byte[frame.capacity() + 4]);
        tagged.putBytes(0, frame, 0, EthernetView.ETHER_TYPE_OFFSET);
        tagged.putBytes(VlanView.ETHER_TYPE_OFFSET, frame, EthernetView.ETHER_TYPE_OFFSET,
            frame.capacity() - EthernetView.ETHER_TYPE_OFFSET);
        new VlanView().wrap(tagged, 0, tagged.capacity()).tag(0, vlanId);
        return tagged;
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
        UnsafeBuffer buffer = ipv4(destination, source, sourceIp, destinationIp, Ipv4View.PROTOCOL_UDP, ipLength);
        int udpAt = EthernetView.HEADER_LENGTH + Ipv4View.MIN_HEADER_LENGTH;
        UdpView udp = new UdpView().wrap(buffer, udpAt, ipLength - Ipv4View.MIN_HEADER_LENGTH);
        udp.sourcePort(sourcePort).destinationPort(destinationPort)
            .datagramLength(UdpView.HEADER_LENGTH + payloadLength);
        long pseudo = io.meshd.packet.Checksums.pseudoHeaderIpv4(sourceIp, destinationIp,
            Ipv4View.PROTOCOL_UDP, udp.datagramLength());
        udp.checksum(io.meshd.packet.Checksums.udp(io.meshd.packet.Checksums.transport(buffer, udpAt,
            udp.datagramLength(), pseudo, UdpView.CHECKSUM_OFFSET)));
        return buffer;
    }

    /**
     * An Ethernet frame holding an IPv4 TCP segment (20-byte headers, sequence 1000) with valid checksums.
     *
     * @param destination destination MAC
     * @param source source MAC
     * @param sourceIp source address
     * @param destinationIp destination address
     * @param sourcePort TCP source port
     * @param destinationPort TCP destination port
     * @param flags TCP flags (0x02 SYN, 0x10 ACK, ...)
     * @param payloadLength TCP payload bytes (zeros)
     * @return a buffer holding exactly the frame
     */
    public static UnsafeBuffer tcp(long destination, long source, int sourceIp, int destinationIp, int sourcePort,
        int destinationPort, int flags, int payloadLength) {
        int ipLength = Ipv4View.MIN_HEADER_LENGTH + TcpView.MIN_HEADER_LENGTH + payloadLength;
        UnsafeBuffer frame = ipv4(destination, source, sourceIp, destinationIp, Ipv4View.PROTOCOL_TCP, ipLength);
        int at = EthernetView.HEADER_LENGTH + Ipv4View.MIN_HEADER_LENGTH;
        int tcpLength = ipLength - Ipv4View.MIN_HEADER_LENGTH;
        TcpView tcp = new TcpView().wrap(frame, at, tcpLength);
        tcp.sourcePort(sourcePort).destinationPort(destinationPort).sequenceNumber(1000).acknowledgmentNumber(0)
            .headerLengthAndFlags(TcpView.MIN_HEADER_LENGTH, flags).window(65535);
        long pseudo = io.meshd.packet.Checksums.pseudoHeaderIpv4(sourceIp, destinationIp, Ipv4View.PROTOCOL_TCP,
            tcpLength);
        tcp.checksum(0).checksum(io.meshd.packet.Checksums.transport(frame, at, tcpLength, pseudo,
            TcpView.CHECKSUM_OFFSET));
        return frame;
    }

    /** An Ethernet frame with a 20-byte IPv4 header (checksum set) and {@code ipLength - 20} zero bytes after it. */
    private static UnsafeBuffer ipv4(long destination, long source, int sourceIp, int destinationIp, int protocol,
        int ipLength) {
        UnsafeBuffer frame = ethernet(destination, source, EthernetView.TYPE_IPV4, ipLength);
        new Ipv4View().wrap(frame, EthernetView.HEADER_LENGTH, ipLength).headerLength(Ipv4View.MIN_HEADER_LENGTH)
            .tos(0).totalLength(ipLength).identification(0x1234).unfragmented(true).ttl(64).protocol(protocol)
            .source(sourceIp).destination(destinationIp).updateChecksum();
        return frame;
    }
}
