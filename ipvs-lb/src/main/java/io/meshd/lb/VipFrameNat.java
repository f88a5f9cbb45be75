package io.meshd.lb;

import io.meshd.net.metrics.EnumCounters;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.MacAddress;
import java.nio.ByteOrder;
import java.util.function.LongSupplier;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The VIP NAT on Ethernet frames, as an overlay switch sees them: {@link VipNat} on the IPv4 packet, plus the MAC
 * addresses that go with it and the closed-port answers.
 *
 * <p>A VIP has a MAC of its own, {@link #vipMac} (the switch's ARP responder answers with it), so a client's frame
 * to a VIP arrives addressed to that MAC: towards a backend, its destination MAC becomes the backend's; back to the
 * client, a reply's source MAC becomes the VIP's. Every node derives the same VIP MAC from the VIP.
 *
 * <p>One instance per thread (it holds flyweights and a reply buffer); allocation-free. The counters may be shared.
 */
public final class VipFrameNat {
    private static final int IP = EthernetView.HEADER_LENGTH;

    private final VipNat nat;
    private final ClosedPortReply closed = new ClosedPortReply();
    private final MacResolver macs;
    private final EnumCounters<LbCounter> counters;
    private final MutableDirectBuffer reply;
    private int replyLength;

    /**
     * A translator for one thread.
     *
     * @param services the node's services
     * @param pins the node's flow pins, shared by every thread
     * @param nanoClock time for the pins
     * @param macs the switch's neighbor table
     * @param counters where to count, shared by every thread
     */
    public VipFrameNat(ServiceTable services, FlowPinTable pins, LongSupplier nanoClock, MacResolver macs,
                       EnumCounters<LbCounter> counters) {
        this.nat = new VipNat(services, pins, nanoClock);
        this.macs = macs;
        this.counters = counters;
        this.reply = new UnsafeBuffer(new byte[IP + ClosedPortReply.MAX_LENGTH]);
    }

    /**
     * Counters for frames the VIP NAT handled, to share between the threads of a node.
     *
     * @return zeroed counters named {@code meshd_lb_frames_total}
     */
    public static EnumCounters<LbCounter> newCounters() {
        return new EnumCounters<>(LbCounter.class, "meshd_lb_frames_total", "Frames the VIP NAT handled, by outcome",
            "event");
    }

    /**
     * The MAC a VIP answers ARP with: the Docker-style MAC of the address, the same on every node.
     *
     * @param vip the VIP
     * @return its MAC
     */
    public static long vipMac(int vip) {
        return MacAddress.fromIpv4(vip);
    }

    /**
     * A frame from a local endpoint, before the switch forwards it.
     *
     * @param vni the endpoint's network
     * @param frame the Ethernet frame (writable)
     * @param offset where it starts
     * @param length its length
     * @return {@link FrameAction#FORWARD} (rewritten to a backend, or untouched), {@link FrameAction#REPLY}
     *     ({@link #reply()} holds the closed-port answer) or {@link FrameAction#DROP}
     */
    public FrameAction fromEndpoint(int vni, MutableDirectBuffer frame, int offset, int length) {
        if (!isIpv4(frame, offset, length)) {
            return FrameAction.FORWARD;
        }
        switch (nat.toBackend(frame, offset + IP, length - IP)) {
            case TRANSLATED:
                long backendMac = macs.macOf(vni, nat.lastAddress());
                if (backendMac == MacResolver.UNKNOWN) {
                    counters.increment(LbCounter.NO_NEIGHBOR);
                    return FrameAction.DROP;
                }
                MacAddress.write(frame, offset + EthernetView.DESTINATION_OFFSET, backendMac);
                counters.increment(LbCounter.TO_BACKEND);
                return FrameAction.FORWARD;
            case NO_SERVICE:
                counters.increment(LbCounter.NO_SERVICE);
                return answerClosed(frame, offset, length);
            case NO_BACKEND:
                counters.increment(LbCounter.NO_BACKEND);
                return answerClosed(frame, offset, length);
            case MALFORMED:
                counters.increment(LbCounter.MALFORMED);
                return FrameAction.DROP;
            default:
                return FrameAction.FORWARD;
        }
    }

    /**
     * A frame on its way to a local endpoint, before the switch delivers it: a backend's reply shows the VIP.
     *
     * @param frame the Ethernet frame (writable)
     * @param offset where it starts
     * @param length its length
     */
    public void towardsEndpoint(MutableDirectBuffer frame, int offset, int length) {
        if (isIpv4(frame, offset, length)
            && nat.toClient(frame, offset + IP, length - IP) == NatVerdict.TRANSLATED) {
            MacAddress.write(frame, offset + EthernetView.SOURCE_OFFSET, vipMac(nat.lastAddress()));
            counters.increment(LbCounter.TO_CLIENT);
        }
    }

    /**
     * The closed-port answer after {@link FrameAction#REPLY}: an Ethernet frame from the VIP's MAC to the sender.
     *
     * @return the buffer, valid until the next call; its first {@link #replyLength()} bytes are the frame
     */
    public MutableDirectBuffer reply() {
        return reply;
    }

    /**
     * The length of {@link #reply()}.
     *
     * @return bytes
     */
    public int replyLength() {
        return replyLength;
    }

    private FrameAction answerClosed(MutableDirectBuffer frame, int offset, int length) {
        int ipLength = closed.write(frame, offset + IP, length - IP, reply, IP);
        if (ipLength == 0) {
            return FrameAction.DROP;
        }
        long sender = MacAddress.read(frame, offset + EthernetView.SOURCE_OFFSET);
        int vip = frame.getInt(offset + IP + Ipv4View.DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN);
        MacAddress.write(reply, EthernetView.DESTINATION_OFFSET, sender);
        MacAddress.write(reply, EthernetView.SOURCE_OFFSET, vipMac(vip));
        reply.putShort(EthernetView.ETHER_TYPE_OFFSET, (short) EthernetView.TYPE_IPV4, ByteOrder.BIG_ENDIAN);
        replyLength = IP + ipLength;
        return FrameAction.REPLY;
    }

    private static boolean isIpv4(MutableDirectBuffer frame, int offset, int length) {
        return length > IP && (frame.getShort(offset + EthernetView.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN)
            & 0xFFFF) == EthernetView.TYPE_IPV4;
    }
}
