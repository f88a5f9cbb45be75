package io.meshd.packet;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The full parse a switch or load balancer does, Ethernet, (VLAN,) ARP or IP, then TCP, UDP or ICMP (and the IP
 * header an ICMP error quotes), written with the throwing {@code wrap} and {@code isWellFormed}: a frame either
 * parses to a list of what each layer said or is refused with {@link FrameException}. Each layer's window must lie
 * inside the one around it. The views are kept and reused, as on the packet path.
 */
final class FrameChain {
    private final EthernetView ethernet = new EthernetView();
    private final VlanView vlan = new VlanView();
    private final ArpView arp = new ArpView();
    private final Ipv4View ipv4 = new Ipv4View();
    private final Ipv6View ipv6 = new Ipv6View();
    private final TcpView tcp = new TcpView();
    private final UdpView udp = new UdpView();
    private final IcmpView icmp = new IcmpView();
    private final Icmpv6View icmpv6 = new Icmpv6View();
    private final Ipv4View quotedIpv4 = new Ipv4View();
    private final Ipv6View quotedIpv6 = new Ipv6View();

    /**
     * Parses a frame; the answers are relative to {@code offset} so frames at different places compare equal.
     *
     * @param buffer the buffer
     * @param offset where the frame starts
     * @param length the frame length
     * @return what each layer said
     * @throws FrameException if a layer is truncated or malformed
     */
    List<Object> parse(DirectBuffer buffer, int offset, int length) {
        List<Object> layers = new ArrayList<>();
        wellFormed(ethernet.wrap(buffer, offset, length));
        int type = ethernet.etherType();
        int at = offset + EthernetView.HEADER_LENGTH;
        layers.add(List.of(ethernet.destination(), ethernet.source(), type));
        if (ethernet.isVlanTagged()) {
            wellFormed(vlan.wrap(buffer, offset, length));
            type = vlan.etherType();
            at = offset + VlanView.HEADER_LENGTH;
            layers.add(List.of(vlan.vlanId(), type));
        }
        int end = offset + length;
        if (type == EthernetView.TYPE_ARP) {
            wellFormed(arp.wrap(buffer, at, end - at));
            layers.add(List.of(arp.operation(), arp.senderIp(), arp.targetIp()));
        } else if (type == EthernetView.TYPE_IPV4) {
            wellFormed(ipv4.wrap(buffer, at, end - at));
            layers.add(List.of(ipv4.source(), ipv4.destination(), ipv4.protocol(), ipv4.payloadLength()));
            inside(ipv4.payloadOffset(), ipv4.payloadLength(), at, end);
            if (!ipv4.isFragment()) {
                transport(buffer, ipv4.payloadOffset(), ipv4.payloadLength(), ipv4.protocol(), offset, layers);
            }
        } else if (type == EthernetView.TYPE_IPV6) {
            wellFormed(ipv6.wrap(buffer, at, end - at));
            layers.add(List.of(ipv6.sourceLow(), ipv6.destinationLow(), ipv6.nextHeader(), ipv6.payloadLength()));
            inside(ipv6.payloadOffset(), ipv6.payloadLength(), at, end);
            transport(buffer, ipv6.payloadOffset(), ipv6.payloadLength(), ipv6.nextHeader(), offset, layers);
        }
        return layers;
    }

    private void transport(DirectBuffer buffer, int at, int length, int protocol, int frameAt, List<Object> layers) {
        int end = at + length;
        if (protocol == Ipv4View.PROTOCOL_TCP) {
            wellFormed(tcp.wrap(buffer, at, length));
            inside(tcp.payloadOffset(), tcp.payloadLength(), at, end);
            layers.add(List.of(tcp.sourcePort(), tcp.destinationPort(), tcp.flags(), tcp.payloadLength()));
        } else if (protocol == Ipv4View.PROTOCOL_UDP) {
            wellFormed(udp.wrap(buffer, at, length));
            inside(udp.payloadOffset(), udp.payloadLength(), at, end);
            layers.add(List.of(udp.sourcePort(), udp.destinationPort(), udp.payloadLength()));
        } else if (protocol == Ipv4View.PROTOCOL_ICMP) {
            wellFormed(icmp.wrap(buffer, at, length));
            layers.add(List.of(icmp.type(), icmp.code(), icmp.hasValidChecksum()));
            if (icmp.isError()) {
                quotedIpv4.wrap(buffer, icmp.invokingPacketOffset(), icmp.invokingPacketLength());
                inside(quotedIpv4.offset(), quotedIpv4.length(), at, end);
                layers.add(List.of(icmp.invokingPacketOffset() - frameAt, quotedIpv4.source(),
                    quotedIpv4.destination(), quotedIpv4.protocol()));
            }
        } else if (protocol == Icmpv6View.PROTOCOL_ICMPV6) {
            wellFormed(icmpv6.wrap(buffer, at, length));
            layers.add(List.of(icmpv6.type(), icmpv6.code(), icmpv6.isEcho()));
            if (icmpv6.isError()) {
                quotedIpv6.wrap(buffer, icmpv6.invokingPacketOffset(), icmpv6.invokingPacketLength());
                inside(quotedIpv6.offset(), quotedIpv6.length(), at, end);
                layers.add(List.of(icmpv6.invokingPacketOffset() - frameAt, quotedIpv6.sourceLow(),
                    quotedIpv6.nextHeader()));
            }
        }
    }

    private static void wellFormed(HeaderView view) {
        if (!view.isWellFormed()) {
            throw FrameException.malformed();
        }
    }

    private static void inside(int at, int length, int outerAt, int outerEnd) {
        assertTrue(length >= 0 && at >= outerAt && at + length <= outerEnd,
            "[" + at + ", +" + length + ") inside [" + outerAt + ", " + outerEnd + ")");
    }
}
