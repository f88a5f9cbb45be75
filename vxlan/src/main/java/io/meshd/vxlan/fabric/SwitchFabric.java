package io.meshd.vxlan.fabric;

import io.meshd.vxlan.codec.DropCounters;
import io.meshd.vxlan.codec.DropReason;
import io.meshd.vxlan.codec.EnumCounters;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.vxlan.codec.VxlanHeader;
import io.meshd.vxlan.frame.EthernetView;
import io.meshd.vxlan.frame.MacAddress;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
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
 * <p>Thread model: {@link #fromLocal} and {@link #fromUplink} may be called from any number of threads at once
 * (one per event loop or TAP reader); they allocate nothing after warm-up, take no lock on the forwarding path and
 * call {@link LocalPort#deliver} and {@link Uplink#send} synchronously on the calling thread. Control-plane methods
 * (attach, detach, networks, table writes) may run on any thread concurrently with them: each is serialised on its
 * own structure and publishes immutable snapshots or whole entries with volatile writes, so the data path sees
 * either the old or the new state, never a torn one. Learning a new address takes the forwarding table's lock
 * briefly; refreshing a known one does not.
 */
public final class SwitchFabric {
    private static final int MIN_FRAME_LENGTH = EthernetView.HEADER_LENGTH;
    private final boolean learning;
    private final boolean flooding;
    private final int maxFrameLength;
    private final Uplink uplink;
    private final ForwardingTable forwardingTable;
    private final NeighborTable neighborTable = new NeighborTable();
    private final FloodList floodList = new FloodList();
    private final ArpResponder arpResponder;
    private final IntSnapshotMap<Network> networks = new IntSnapshotMap<>();
    private final IntSnapshotMap<PortBinding> bindings = new IntSnapshotMap<>();
    private final DropCounters drops = new DropCounters();
    private final EnumCounters<TrafficCounter> traffic = new EnumCounters<>(TrafficCounter.class);

    private SwitchFabric(Builder builder) {
        this.learning = builder.learning;
        this.flooding = builder.flooding;
        this.maxFrameLength = builder.maxFrameLength;
        this.uplink = builder.uplink;
        this.forwardingTable = new ForwardingTable(builder.clock, builder.agingTime.toNanos(), builder.maxEntries,
            traffic);
        this.arpResponder = builder.arpResponder ? new ArpResponder(neighborTable) : null;
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
        networks.compute(vni, current -> current != null ? current : new Network(vni, new LocalPort[0]));
    }

    /**
     * Removes a network with its ports, forwarding entries, neighbors and flood list.
     *
     * @param vni the VNI
     * @return whether it existed
     */
    public boolean removeNetwork(int vni) {
        Network removed;
        synchronized (bindings) {
            removed = networks.remove(vni);
            if (removed != null) {
                for (LocalPort port : removed.ports) {
                    bindings.remove(port.id());
                }
            }
        }
        forwardingTable.removeNetwork(vni);
        neighborTable.removeNetwork(vni);
        floodList.removeNetwork(vni);
        return removed != null;
    }

    /**
     * The networks, ascending.
     *
     * @return the VNIs
     */
    public List<Integer> networks() {
        return networks.keys();
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
        synchronized (bindings) {
            if (networks.get(vni) == null) {
                throw new IllegalStateException("no network " + vni);
            }
            if (bindings.get(port.id()) != null) {
                throw new IllegalStateException("port id " + port.id() + " is already attached");
            }
            forwardingTable.putLocal(vni, mac, port);
            bindings.put(port.id(), new PortBinding(vni, port, mac));
            networks.compute(vni, network -> network.with(port));
        }
    }

    /**
     * Detaches a port and removes every forwarding entry pointing to it.
     *
     * @param port the port
     * @return whether it was attached
     */
    public boolean detach(LocalPort port) {
        synchronized (bindings) {
            PortBinding binding = bindings.get(port.id());
            if (binding == null || binding.port != port) {
                return false;
            }
            bindings.remove(port.id());
            networks.compute(binding.vni, network -> network == null ? null : network.without(port));
        }
        forwardingTable.removePort(port);
        return true;
    }

    /**
     * The ports attached to a network.
     *
     * @param vni the network
     * @return an immutable copy, empty if there is no such network
     */
    public List<LocalPort> ports(int vni) {
        Network network = networks.get(vni);
        return network == null ? List.of() : List.of(network.ports);
    }

    /**
     * Switches a frame sent by a container through a local port. Never throws.
     *
     * @param in the port it came from
     * @param frame the buffer holding the Ethernet frame
     * @param offset where the frame starts
     * @param length the frame length
     */
    public void fromLocal(LocalPort in, DirectBuffer frame, int offset, int length) {
        traffic.increment(TrafficCounter.FROM_LOCAL);
        if (!acceptable(frame, offset, length)) {
            return;
        }
        PortBinding binding = bindings.get(in.id());
        if (binding == null || binding.port != in) {
            drops.increment(DropReason.UNKNOWN_PORT);
            return;
        }
        Network network = networks.get(binding.vni);
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
                deliver(entry.port, frame, offset, length);
            }
        } else if (entry.remote != null) {
            send(vni, entry.remote, frame, offset, length);
        } else {
            flood(network, in, true, frame, offset, length);
        }
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
    public void fromUplink(int vni, RemoteVtep from, DirectBuffer frame, int offset, int length) {
        traffic.increment(TrafficCounter.FROM_UPLINK);
        if (!acceptable(frame, offset, length)) {
            return;
        }
        Network network = networks.get(vni);
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

    /**
     * Removes learned forwarding entries past the aging time; call it periodically (e.g. every aging time / 4).
     *
     * @return how many entries went
     */
    public int expireLearned() {
        return forwardingTable.expire();
    }

    /**
     * The forwarding database.
     *
     * @return the table
     */
    public ForwardingTable forwardingTable() {
        return forwardingTable;
    }

    /**
     * The IPv4 neighbors the ARP responder answers for.
     *
     * @return the table
     */
    public NeighborTable neighborTable() {
        return neighborTable;
    }

    /**
     * The remote VTEPs per network for head-end replication.
     *
     * @return the list
     */
    public FloodList floodList() {
        return floodList;
    }

    /**
     * Drops per reason.
     *
     * @return the live counters
     */
    public DropCounters counters() {
        return drops;
    }

    /**
     * Frames switched, flooded, answered and learned.
     *
     * @return the live counters
     */
    public EnumCounters<TrafficCounter> traffic() {
        return traffic;
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

    private static boolean isArp(DirectBuffer frame, int offset) {
        return (frame.getShort(offset + EthernetView.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF)
            == EthernetView.TYPE_ARP;
    }

    private boolean answerArp(int vni, LocalPort in, DirectBuffer frame, int offset, int length) {
        try {
            if (arpResponder.answer(vni, in, frame, offset, length)) {
                traffic.increment(TrafficCounter.ARP_REPLIES);
                return true;
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

    /**
     * Configures a {@link SwitchFabric}. Every setting has a default; see {@link SwitchFabric#builder()}.
     */
    public static final class Builder {
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private boolean learning = true;
        private boolean flooding = true;
        private boolean arpResponder = true;
        private Duration agingTime = Duration.ofSeconds(300);
        private int maxFrameLength = VxlanCodec.MAX_FRAME_LENGTH;
        private int maxEntries = 65_536;
        private Uplink uplink;

        private Builder() {
        }

        /**
         * The clock for aging learned entries (tests inject their own). It is read only for frames that involve
         * learned entries, at most once per frame; an event loop can pass Agrona's {@code CachedNanoClock} and
         * advance it once per batch instead.
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
        return "SwitchFabric" + Arrays.toString(networks.keys().toArray());
    }
}
