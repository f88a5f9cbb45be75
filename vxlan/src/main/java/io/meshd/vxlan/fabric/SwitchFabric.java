package io.meshd.vxlan.fabric;

import io.meshd.vxlan.codec.DropCounters;
import io.meshd.vxlan.codec.DropReason;
import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.MetricSource;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.vxlan.codec.VxlanHeader;
import io.meshd.packet.EthernetView;
import io.meshd.packet.MacAddress;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The L2 switch of every network (VNI) on this host. Its ports are local ports (TAPs) attached to one network each,
 * and the uplink to remote VTEPs. Per frame it learns the source, answers ARP requests for known neighbors, and
 * forwards by the destination: to a local port, to a remote VTEP, or flooded to the network's other local ports and
 * (for frames from local ports only: split horizon) by head-end replication to the network's {@link FloodList}.
 * Frames of one VNI never reach another: a local port belongs to exactly one network and every table is keyed by
 * VNI.
 *
 * <p>Bad input is dropped and counted per {@link DropReason} in {@link #counters()}; {@link #fromLocal} and {@link
 * #fromUplink} never throw, not even when a port or the uplink does (counted as {@link DropReason#SEND_FAILED}).
 *
 * <p>Thread model: {@link #fromLocal} and {@link #fromUplink} may be called from any number of threads at once (the
 * VTEP's event loops, the TAP pollers); they allocate nothing after warm-up, take no lock on the forwarding path and
 * call {@link LocalPort#deliver} and {@link Uplink#send} synchronously on the calling thread. Control-plane methods
 * (attach, detach, networks, table writes) may run on any thread concurrently with them: each is serialised on its own
 * structure and publishes immutable snapshots or whole entries with volatile writes, so the data path sees either the
 * old or the new state, never a torn one. Learning a new address takes the forwarding table's lock briefly; refreshing
 * a known one does not.
 */
public final class SwitchFabric {
    private static final int MIN_FRAME_LENGTH = EthernetView.HEADER_LENGTH;
    private final ForwardingTable forwardingTable;
    private final NeighborTable neighborTable = new NeighborTable();
    private final FloodList floodList = new FloodList();
    private final NetworkPorts networks;
    private final DropCounters drops = new DropCounters();
    private final EnumCounters<TrafficCounter> traffic = new EnumCounters<>(TrafficCounter.class,
        "meshd_switch_frames_total", "Frames through the switch fabric, by event", "event");
    private final DataPath dataPath;
    private final MetricSource metrics = new SwitchMetrics(this);

    private SwitchFabric(Builder builder) {
        this.forwardingTable = new ForwardingTable(builder.clock, builder.agingTime.toNanos(), builder.maxEntries,
            traffic);
        this.networks = new NetworkPorts(forwardingTable);
        ArpResponder arpResponder = builder.arpResponder ? new ArpResponder(neighborTable) : null;
        this.dataPath = new DataPath(builder, forwardingTable, floodList, arpResponder, networks, drops, traffic);
    }

    /**
     * Starts a builder with the defaults: system clock, learning, flooding and the ARP responder on, aging 300 s,
     * frames up to {@link VxlanCodec#MAX_FRAME_LENGTH}, at most 65,536 forwarding entries, no uplink.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds a network; adding one twice is harmless.
     *
     * @param vni the VNI, 24 bits
     * @throws IllegalArgumentException if the VNI is not 24 bits
     */
    public void addNetwork(int vni) {
        VxlanHeader.checkVni(vni);
        networks.addNetwork(vni);
    }

    /**
     * Removes a network with its ports, forwarding entries, neighbors and flood list.
     *
     * @param vni the VNI
     * @return whether it existed
     */
    public boolean removeNetwork(int vni) {
        boolean removed = networks.removeNetwork(vni);
        forwardingTable.removeNetwork(vni);
        neighborTable.removeNetwork(vni);
        floodList.removeNetwork(vni);
        return removed;
    }

    /** The networks' VNIs, ascending. */
    public List<Integer> networks() {
        return networks.vnis();
    }

    /**
     * Attaches a local port to a network, with a static forwarding entry for its MAC.
     *
     * @param vni the network, which must exist
     * @param port the port, whose id must be unused in this fabric
     * @param mac the MAC of the interface behind the port
     * @throws IllegalStateException if the network does not exist or the port id is taken
     * @throws IllegalArgumentException if the MAC is not a station address
     */
    public void attach(int vni, LocalPort port, long mac) {
        Objects.requireNonNull(port, "port");
        if (!MacAddress.isValidSource(mac)) {
            throw new IllegalArgumentException("not a station MAC: " + MacAddress.format(mac));
        }
        networks.attach(vni, port, mac);
    }

    /**
     * Detaches a port and removes every forwarding entry pointing to it.
     *
     * @param port the port
     * @return whether it was attached
     */
    public boolean detach(LocalPort port) {
        if (!networks.detach(port)) {
            return false;
        }
        forwardingTable.removePort(port);
        return true;
    }

    /**
     * Declares a container on another host, as Docker's overlay does for every peer: the ARP responder answers for
     * its address, and frames to its MAC go straight to its VTEP.
     *
     * @param vni the network
     * @param ip the endpoint's IPv4 address
     * @param mac the endpoint's MAC
     * @param vtep the VTEP of its host
     * @throws IllegalArgumentException if the MAC is not a station address
     */
    public void addRemoteEndpoint(int vni, int ip, long mac, RemoteVtep vtep) {
        neighborTable.put(vni, ip, mac);
        forwardingTable.putRemote(vni, mac, vtep);
    }

    /**
     * Forgets a container on another host (it stopped, or its host left): its neighbor and forwarding entries.
     *
     * @param vni the network
     * @param ip the endpoint's IPv4 address
     * @param mac the endpoint's MAC
     * @return whether either entry existed
     */
    public boolean removeRemoteEndpoint(int vni, int ip, long mac) {
        boolean neighbor = neighborTable.remove(vni, ip);
        return forwardingTable.remove(vni, mac) || neighbor;
    }

    /**
     * The ports attached to a network.
     *
     * @param vni the network
     * @return an immutable copy, empty if there is no such network
     */
    public List<LocalPort> ports(int vni) {
        return networks.ports(vni);
    }

    /**
     * Switches a frame sent by a container through a local port. Never throws.
     *
     * @param in the port it came from
     * @param frame the buffer holding the Ethernet frame
     * @param offset where the frame starts
     * @param length the frame length
     */
    public void fromLocal(LocalPort in, MutableDirectBuffer frame, int offset, int length) {
        dataPath.fromLocal(in, frame, offset, length);
    }

    /**
     * Switches the segments of a super-frame sent by a container through a local port, as if each came through
     * {@link #fromLocal} in order. When they all go to one remote VTEP (bulk TCP to another host), the decision is
     * made once and {@link Uplink#sendSegments} builds them; otherwise each segment is built in {@code scratch} and
     * switched alone. Never throws.
     *
     * @param in the port it came from
     * @param frame the prepared super-frame
     * @param scratch room for the largest segment, owned by the calling thread
     */
    public void fromLocalSegments(LocalPort in, SegmentedFrame frame, MutableDirectBuffer scratch) {
        dataPath.fromLocalSegments(in, frame, scratch);
    }

    /**
     * Switches a frame decapsulated from a remote VTEP. Never throws. Such frames go to local ports only: a frame
     * from the uplink is never sent back to the uplink (split horizon).
     *
     * @param vni the VNI from the VXLAN header
     * @param from the VTEP it came from, as a destination: its address and VXLAN port (not the datagram's source
     *     port, which varies per flow), so a learned entry can send back to it
     * @param frame the buffer holding the inner Ethernet frame
     * @param offset where the frame starts
     * @param length the frame length
     */
    public void fromUplink(int vni, RemoteVtep from, MutableDirectBuffer frame, int offset, int length) {
        dataPath.fromUplink(vni, from, frame, offset, length);
    }

    /**
     * Decodes a received VXLAN UDP payload and switches its inner frame: {@link VxlanCodec#decode} against this
     * fabric's frame size limit, its drop reasons counted here, then {@link #fromUplink}. Never throws.
     *
     * @param from the VTEP it came from, as a destination (see {@link #fromUplink})
     * @param payload the buffer holding the UDP payload: VXLAN header, then the inner frame
     * @param offset where the VXLAN header starts
     * @param length the UDP payload length
     */
    public void fromVxlan(RemoteVtep from, MutableDirectBuffer payload, int offset, int length) {
        dataPath.fromVxlan(from, payload, offset, length);
    }

    /**
     * Removes learned forwarding entries past the aging time, returning how many went; call it periodically (e.g.
     * every aging time / 4).
     */
    public int expireLearned() {
        return forwardingTable.expire();
    }

    /** The forwarding database. */
    public ForwardingTable forwardingTable() {
        return forwardingTable;
    }

    /** The IPv4 neighbors the ARP responder answers for. */
    public NeighborTable neighborTable() {
        return neighborTable;
    }

    /** The remote VTEPs per network for head-end replication. */
    public FloodList floodList() {
        return floodList;
    }

    /** Drops per reason (live counters). */
    public DropCounters counters() {
        return drops;
    }

    /** Frames switched, flooded, answered and learned (live counters). */
    public EnumCounters<TrafficCounter> traffic() {
        return traffic;
    }

    /** Frames, drops and table sizes for export ({@link SwitchMetrics}); collected off the packet path. */
    public MetricSource metrics() {
        return metrics;
    }

    /**
     * Configures a {@link SwitchFabric}. Every setting has a default; see {@link SwitchFabric#builder()}.
     */
    public static final class Builder {
        NanoClock clock = SystemNanoClock.INSTANCE;
        boolean learning = true;
        boolean flooding = true;
        boolean arpResponder = true;
        Duration agingTime = Duration.ofSeconds(300);
        int maxFrameLength = VxlanCodec.MAX_FRAME_LENGTH;
        int maxEntries = 65_536;
        Uplink uplink;
        FrameHook frameHook;

        private Builder() {
        }

        /**
         * The clock for aging learned entries (tests inject their own). It is read only for frames that involve
         * learned entries, at most once per frame; a caller can pass Agrona's {@code CachedNanoClock} and advance
         * it periodically instead ({@code VtepNode} does, every 100 ms).
         *
         * @param clock a monotonic nanosecond clock
         * @return this builder
         */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether source addresses are learned (off when the control plane knows every endpoint).
         *
         * @param learning true to learn
         * @return this builder
         */
        public Builder learning(boolean learning) {
            this.learning = learning;
            return this;
        }

        /**
         * Whether broadcast and unknown unicast from local ports are replicated to the flood list.
         *
         * @param flooding true to flood to remote VTEPs
         * @return this builder
         */
        public Builder flooding(boolean flooding) {
            this.flooding = flooding;
            return this;
        }

        /**
         * Whether ARP requests for known neighbors are answered locally.
         *
         * @param arpResponder true to answer
         * @return this builder
         */
        public Builder arpResponder(boolean arpResponder) {
            this.arpResponder = arpResponder;
            return this;
        }

        /**
         * A rewriter at the switch's edges (the VIP NAT); none by default.
         *
         * @param frameHook the hook, or null for none
         * @return this builder
         */
        public Builder frameHook(FrameHook frameHook) {
            this.frameHook = frameHook;
            return this;
        }

        /**
         * How long a learned entry lives without traffic from its address.
         *
         * @param agingTime a positive duration
         * @return this builder
         */
        public Builder agingTime(Duration agingTime) {
            if (agingTime.isNegative() || agingTime.isZero()) {
                throw new IllegalArgumentException("aging time must be positive: " + agingTime);
            }
            this.agingTime = agingTime;
            return this;
        }

        /**
         * The longest frame switched; longer ones are dropped as oversized.
         *
         * @param maxFrameLength bytes, at least an Ethernet header
         * @return this builder
         */
        public Builder maxFrameLength(int maxFrameLength) {
            if (maxFrameLength < MIN_FRAME_LENGTH) {
                throw new IllegalArgumentException("max frame length too small: " + maxFrameLength);
            }
            this.maxFrameLength = maxFrameLength;
            return this;
        }

        /**
         * The most forwarding entries learning may create (static entries are not limited).
         *
         * @param maxEntries a positive count
         * @return this builder
         */
        public Builder maxEntries(int maxEntries) {
            if (maxEntries <= 0) {
                throw new IllegalArgumentException("max entries must be positive: " + maxEntries);
            }
            this.maxEntries = maxEntries;
            return this;
        }

        /**
         * The way to remote VTEPs; without one, frames for remote VTEPs are dropped as {@link DropReason#NO_ROUTE}.
         *
         * @param uplink the uplink
         * @return this builder
         */
        public Builder uplink(Uplink uplink) {
            this.uplink = Objects.requireNonNull(uplink, "uplink");
            return this;
        }

        /**
         * Builds the fabric.
         *
         * @return a fabric with no networks
         */
        public SwitchFabric build() {
            return new SwitchFabric(this);
        }
    }

    @Override
    public String toString() {
        return "SwitchFabric" + networks.vnis();
    }
}
