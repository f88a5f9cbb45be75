package io.meshd.vxlan.fabric;

import io.meshd.vxlan.codec.DropCounters;
import io.meshd.vxlan.codec.DropReason;
import io.meshd.net.metrics.EnumCounters;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.packet.EthernetView;
import io.meshd.packet.MacAddress;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The per-frame half of {@link SwitchFabric}: validation, learning, the ARP responder, forwarding and flooding. It
 * only reads the shared state (snapshots and lock-free tables) and counts; the control-plane half in
 * {@code SwitchFabric} writes it. See {@link SwitchFabric} for the thread model.
 */
final class DataPath {
    private static final int MIN_FRAME_LENGTH = EthernetView.HEADER_LENGTH;
    private final boolean learning;
    private final boolean flooding;
    private final int maxFrameLength;
    private final Uplink uplink;
    private final ForwardingTable forwardingTable;
    private final FloodList floodList;
    private final ArpResponder arpResponder;
    private final FrameHook hook;
    private final NetworkPorts networks;
    private final DropCounters drops;
    private final EnumCounters<TrafficCounter> traffic;

    /**
     * Everything the data path reads; {@code arpResponder}, {@code uplink} and the settings' frame hook may be null
     * (turned off, absent).
     */
    DataPath(SwitchFabric.Builder settings, ForwardingTable forwardingTable, FloodList floodList,
        ArpResponder arpResponder, NetworkPorts networks, DropCounters drops,
        EnumCounters<TrafficCounter> traffic) {
        this.learning = settings.learning;
        this.flooding = settings.flooding;
        this.maxFrameLength = settings.maxFrameLength;
        this.uplink = settings.uplink;
        this.forwardingTable = forwardingTable;
        this.floodList = floodList;
        this.arpResponder = arpResponder;
        this.hook = settings.frameHook;
        this.networks = networks;
        this.drops = drops;
        this.traffic = traffic;
    }

    /** See {@link SwitchFabric#fromLocal}. */
    void fromLocal(LocalPort in, MutableDirectBuffer frame, int offset, int length) {
        traffic.increment(TrafficCounter.FROM_LOCAL);
        if (!acceptable(frame, offset, length)) {
            return;
        }
        PortBinding binding = networks.binding(in.id());
        if (binding == null || binding.port != in) {
            drops.increment(DropReason.UNKNOWN_PORT);
            return;
        }
        Network network = networks.network(binding.vni);
        if (network == null) {
            drops.increment(DropReason.UNKNOWN_VNI);
            return;
        }
        int vni = network.vni;
        long source = MacAddress.read(frame, offset + EthernetView.SOURCE_OFFSET);
        if (!MacAddress.isValidSource(source)) {
            drops.increment(DropReason.BAD_INNER_FRAME);
            return;
        }
        long now = learning ? forwardingTable.learnSource(vni, source, in, null) : ForwardingTable.NO_TIME;
        if (arpResponder != null && isArp(frame, offset) && answerArp(vni, in, frame, offset, length)) {
            return;
        }
        if (hook != null && !passesHook(vni, in, frame, offset, length, 1)) {
            return;
        }
        long destination = MacAddress.read(frame, offset + EthernetView.DESTINATION_OFFSET);
        if (MacAddress.isMulticast(destination)) {
            flood(network, in, true, frame, offset, length);
            return;
        }
        FdbEntry entry = forwardingTable.lookup(vni, destination, now);
        if (entry.port != null) {
            if (entry.port == in) {
                drops.increment(DropReason.LOOP);
            } else {
                if (hook != null) {
                    hook.towardsEndpoint(vni, frame, offset, length);
                }
                deliver(entry.port, frame, offset, length);
            }
        } else if (entry.remote != null) {
            send(vni, entry.remote, frame, offset, length);
        } else {
            flood(network, in, true, frame, offset, length);
        }
    }

    /** See {@link SwitchFabric#fromLocalSegments}. */
    void fromLocalSegments(LocalPort in, SegmentedFrame frame, MutableDirectBuffer scratch) {
        int count = frame.segments();
        PortBinding binding = networks.binding(in.id());
        Network network = binding == null || binding.port != in ? null : networks.network(binding.vni);
        // The hook rewrites the super-frame once for every segment: the segmenter recomputes each one's checksums.
        if (network != null && hook != null && frame.length() >= MIN_FRAME_LENGTH
            && !passesHook(network.vni, in, frame.buffer(), frame.offset(), frame.length(), count)) {
            traffic.add(TrafficCounter.FROM_LOCAL, count);
            return;
        }
        RemoteVtep remote = network == null ? null : remoteDestination(network.vni, in, frame);
        if (remote == null) {
            // Anything but a known unicast peer behind the uplink (a local port, flooding, something to count as a
            // drop): the segments take the per-frame path one by one.
            for (int i = 0; i < count; i++) {
                fromLocal(in, scratch, 0, frame.writeSegment(i, scratch, 0));
            }
            return;
        }
        traffic.add(TrafficCounter.FROM_LOCAL, count);
        try {
            uplink.sendSegments(network.vni, remote, frame, scratch);
            traffic.add(TrafficCounter.UPLINK_SENDS, count);
        } catch (RuntimeException e) {
            drops.add(DropReason.SEND_FAILED, count);
        }
    }

    /**
     * The remote VTEP every segment of a super-frame goes to, when the switch would send its first segment (the
     * largest) to exactly one peer through the uplink; null otherwise. Learns the source as {@link #fromLocal}
     * does.
     */
    private RemoteVtep remoteDestination(int vni, LocalPort in, SegmentedFrame frame) {
        DirectBuffer buffer = frame.buffer();
        int offset = frame.offset();
        if (uplink == null || frame.segmentLength(0) > maxFrameLength || frame.length() < MIN_FRAME_LENGTH) {
            return null;
        }
        long source = MacAddress.read(buffer, offset + EthernetView.SOURCE_OFFSET);
        long destination = MacAddress.read(buffer, offset + EthernetView.DESTINATION_OFFSET);
        if (!MacAddress.isValidSource(source) || MacAddress.isMulticast(destination)) {
            return null;
        }
        long now = learning ? forwardingTable.learnSource(vni, source, in, null) : ForwardingTable.NO_TIME;
        FdbEntry entry = forwardingTable.lookup(vni, destination, now);
        return entry.port == null ? entry.remote : null;
    }

    /** See {@link SwitchFabric#fromUplink}. */
    void fromUplink(int vni, RemoteVtep from, MutableDirectBuffer frame, int offset, int length) {
        traffic.increment(TrafficCounter.FROM_UPLINK);
        if (!acceptable(frame, offset, length)) {
            return;
        }
        Network network = networks.network(vni);
        if (network == null) {
            drops.increment(DropReason.UNKNOWN_VNI);
            return;
        }
        long source = MacAddress.read(frame, offset + EthernetView.SOURCE_OFFSET);
        if (!MacAddress.isValidSource(source)) {
            drops.increment(DropReason.BAD_INNER_FRAME);
            return;
        }
        long now = learning && from != null ? forwardingTable.learnSource(vni, source, null, from)
            : ForwardingTable.NO_TIME;
        if (hook != null) {
            // Everything from the uplink is for local endpoints (or dropped), so it is translated once, here.
            hook.towardsEndpoint(vni, frame, offset, length);
        }
        long destination = MacAddress.read(frame, offset + EthernetView.DESTINATION_OFFSET);
        if (MacAddress.isMulticast(destination)) {
            flood(network, null, false, frame, offset, length);
            return;
        }
        FdbEntry entry = forwardingTable.lookup(vni, destination, now);
        if (entry.port != null) {
            deliver(entry.port, frame, offset, length);
        } else if (entry.remote != null) {
            drops.increment(DropReason.LOOP);
        } else {
            flood(network, null, false, frame, offset, length);
        }
    }

    /** See {@link SwitchFabric#fromVxlan}. */
    void fromVxlan(RemoteVtep from, MutableDirectBuffer payload, int offset, int length) {
        int vni = VxlanCodec.decode(payload, offset, length, maxFrameLength);
        if (vni < 0) {
            traffic.increment(TrafficCounter.FROM_UPLINK);
            drops.incrementCode(vni);
            return;
        }
        fromUplink(vni, from, payload, offset + VxlanCodec.HEADER_LENGTH, length - VxlanCodec.HEADER_LENGTH);
    }

    private boolean acceptable(DirectBuffer frame, int offset, int length) {
        if (offset < 0 || length < MIN_FRAME_LENGTH || (long) offset + length > frame.capacity()) {
            drops.increment(DropReason.TRUNCATED);
            return false;
        }
        if (length > maxFrameLength) {
            drops.increment(DropReason.OVERSIZED);
            return false;
        }
        return true;
    }

    /**
     * Runs the hook on a frame from a local endpoint ({@code frames} frames' worth: a super-frame counts as its
     * segments); false when the hook dropped it or answered it (the answer delivered to {@code in}).
     */
    private boolean passesHook(int vni, LocalPort in, MutableDirectBuffer frame, int offset, int length, int frames) {
        FrameHook.Verdict verdict;
        try {
            verdict = hook.fromEndpoint(vni, frame, offset, length);
        } catch (RuntimeException e) {
            drops.add(DropReason.HOOK_DROPPED, frames);
            return false;
        }
        switch (verdict) {
            case FORWARD:
                return true;
            case REPLY:
                try {
                    in.deliver(hook.reply(), 0, hook.replyLength());
                    traffic.increment(TrafficCounter.HOOK_REPLIES);
                } catch (RuntimeException e) {
                    drops.increment(DropReason.SEND_FAILED);
                }
                return false;
            default:
                drops.add(DropReason.HOOK_DROPPED, frames);
                return false;
        }
    }

    private static boolean isArp(DirectBuffer frame, int offset) {
        return (frame.getShort(offset + EthernetView.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF)
            == EthernetView.TYPE_ARP;
    }

    private boolean answerArp(int vni, LocalPort in, DirectBuffer frame, int offset, int length) {
        try {
            int outcome = arpResponder.answer(vni, in, frame, offset, length);
            if (outcome == ArpResponder.ANSWERED) {
                traffic.increment(TrafficCounter.ARP_REPLIES);
                return true;
            }
            if (outcome == ArpResponder.UNKNOWN_TARGET) {
                traffic.increment(TrafficCounter.ARP_MISSES);
            }
            return false;
        } catch (RuntimeException e) {
            drops.increment(DropReason.SEND_FAILED);
            return true;
        }
    }

    private void flood(Network network, LocalPort in, boolean toUplink, DirectBuffer frame, int offset, int length) {
        int copies = 0;
        for (LocalPort port : network.ports) {
            if (port != in) {
                deliver(port, frame, offset, length);
                copies++;
            }
        }
        if (toUplink && flooding) {
            for (RemoteVtep vtep : floodList.targets(network.vni)) {
                send(network.vni, vtep, frame, offset, length);
                copies++;
            }
        }
        if (copies == 0) {
            drops.increment(DropReason.NO_ROUTE);
        } else {
            traffic.increment(TrafficCounter.FLOODS);
        }
    }

    private void deliver(LocalPort port, DirectBuffer frame, int offset, int length) {
        try {
            port.deliver(frame, offset, length);
            traffic.increment(TrafficCounter.LOCAL_DELIVERIES);
        } catch (RuntimeException e) {
            drops.increment(DropReason.SEND_FAILED);
        }
    }

    private void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
        if (uplink == null) {
            drops.increment(DropReason.NO_ROUTE);
            return;
        }
        try {
            uplink.send(vni, to, frame, offset, length);
            traffic.increment(TrafficCounter.UPLINK_SENDS);
        } catch (RuntimeException e) {
            drops.increment(DropReason.SEND_FAILED);
        }
    }
}
