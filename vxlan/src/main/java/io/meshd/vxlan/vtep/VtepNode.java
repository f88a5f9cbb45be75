package io.meshd.vxlan.vtep;

import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricSink;
import io.meshd.net.metrics.MetricSource;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.FrameHook;
import io.meshd.vxlan.fabric.SwitchFabric;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.tap.ReadBurst;
import io.meshd.vxlan.tap.TapAttacher;
import io.meshd.vxlan.tap.TapPollers;
import io.meshd.vxlan.tap.TapPort;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.CachedNanoClock;

/**
 * A whole VXLAN data plane on one host, wired together: the UDP VTEP, the switch that uses it as its uplink, and
 * the TAP attacher for local containers. What {@code meshd vtep}, the demo and the lab tests run; an orchestrator
 * feeds the same calls from its control plane. Closing detaches every container and closes the sockets.
 */
public final class VtepNode implements AutoCloseable {

    private final UdpVtep vtep;
    private final SwitchFabric fabric;
    /** How often learned entries past their age are removed (the switch's default age is 300 s). */
    private static final long AGING_PERIOD_SECONDS = 10;
    /**
     * How often the switch's clock is advanced. Frames of learned addresses read the time to refresh and check
     * their entries; a system clock read costs 30-80 ns on a VM, per frame, while entries age in minutes.
     */
    static final long CLOCK_TICK_MILLIS = 100;

    private final TapAttacher attacher;
    private final ScheduledExecutorService aging;
    private final MetricSource metrics = this::collect;

    private VtepNode(UdpVtep vtep, SwitchFabric fabric, Builder b, ScheduledExecutorService aging) {
        this.vtep = vtep;
        this.fabric = fabric;
        this.attacher = TapAttacher.of(fabric, b.tapOffloads, vtep, b.tapQueues, b.tapPollers);
        this.aging = aging;
    }

    /** A clock that reads the system's now and then advances every {@link #CLOCK_TICK_MILLIS} on {@code ticker}. */
    static CachedNanoClock tickingClock(ScheduledExecutorService ticker) {
        CachedNanoClock clock = new CachedNanoClock();
        clock.update(System.nanoTime());
        ticker.scheduleAtFixedRate(() -> clock.update(System.nanoTime()), CLOCK_TICK_MILLIS, CLOCK_TICK_MILLIS,
            TimeUnit.MILLISECONDS);
        return clock;
    }

    /** The most TAP queues and receive sockets {@link #defaultParallelism()} suggests. */
    public static final int MAX_DEFAULT_PARALLELISM = 4;

    /**
     * TAP queues and receive sockets worth having on this machine: one per core, at most
     * {@value #MAX_DEFAULT_PARALLELISM}. Several TCP streams then leave and enter a container on several threads
     * (on the 2-core lab, 2 queues and 2 sockets carried four streams 29% faster and one stream no slower, see
     * docs/vtep.md); more than a few threads per attachment rarely help one container. The builders default to 1
     * (what an embedding caller gets unless it asks); {@code meshd vtep} uses this.
     */
    public static int defaultParallelism() {
        return Math.max(1, Math.min(MAX_DEFAULT_PARALLELISM, Runtime.getRuntime().availableProcessors()));
    }

    /** A builder; {@link Builder#vtep(UdpVtep.Builder)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    private static VtepNode start(Builder b) {
        UdpVtep vtep = Objects.requireNonNull(b.vtep, "vtep options").build();
        ScheduledExecutorService aging = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vtep-aging");
            t.setDaemon(true);
            return t;
        });
        SwitchFabric fabric = SwitchFabric.builder().learning(b.learning).flooding(b.flooding).arpResponder(true)
            .frameHook(b.frameHook).clock(tickingClock(aging)).uplink(vtep).build();
        VtepNode node = new VtepNode(vtep, fabric, b, aging);
        try {
            vtep.start(fabric::fromVxlan, b.tapOffloads ? TapPort.receiveBurst() : ReadBurst.NONE);
        } catch (RuntimeException e) {
            node.aging.shutdownNow();
            throw e;
        }
        node.aging.scheduleAtFixedRate(fabric::expireLearned, AGING_PERIOD_SECONDS, AGING_PERIOD_SECONDS,
            TimeUnit.SECONDS);
        return node;
    }

    /** Creates network {@code vni} on the switch. */
    public void addNetwork(int vni) {
        fabric.addNetwork(vni);
    }

    /** Adds a remote VTEP (at the VTEP's port) to the flood list of network {@code vni}. */
    public void addRemote(int vni, int vtepIpv4) {
        fabric.floodList().add(vni, RemoteVtep.of(vtepIpv4, vtep.port()));
    }

    /**
     * A container behind a remote VTEP that the control plane knows: the ARP responder answers for its IP and its
     * MAC is forwarded to that VTEP without flooding.
     */
    public void addNeighbor(int vni, int ipv4, long mac, int vtepIpv4) {
        fabric.addRemoteEndpoint(vni, ipv4, mac, RemoteVtep.of(vtepIpv4, vtep.port()));
    }

    /** Attaches a local container to network {@code vni}. */
    public TapPort attach(int vni, Attachment attachment) {
        return attacher.attach(vni, attachment);
    }

    /**
     * Attaches a local container to network {@code vni}; with {@code persistent} its interface outlives this process
     * (see {@link TapAttacher}).
     */
    public TapPort attach(int vni, Attachment attachment, boolean persistent) {
        return attacher.attach(vni, attachment, persistent);
    }

    /**
     * Attaches again to the persistent interface a container kept (from a previous process, or a {@link #release}).
     *
     * @throws IllegalStateException when the interface is gone
     * @throws io.meshd.shims.NativeException when the namespace is gone or the kernel refuses
     */
    public TapPort reattach(int vni, Attachment attachment) {
        return attacher.reattach(vni, attachment);
    }

    /** Disconnects a local container and closes its descriptors; a persistent interface stays. */
    public void release(TapPort port) {
        attacher.release(port);
    }

    /** Detaches a local container: its interface and its entries go. */
    public void detach(TapPort port) {
        attacher.detach(port);
    }

    /** The UDP endpoint. */
    public UdpVtep vtep() {
        return vtep;
    }

    /** The switch. */
    public SwitchFabric fabric() {
        return fabric;
    }

    /** Every counter, grouped: {@code vtep}, {@code switch}, {@code drops}, and one group per attached port. */
    public Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> all = new LinkedHashMap<>();
        all.put("vtep", vtep.counters().snapshot());
        all.put("switch", fabric.traffic().snapshot());
        all.put("drops", fabric.counters().snapshot());
        for (TapPort p : attacher.ports()) {
            all.put("port " + p.attachment().namespace() + ":" + p.attachment().interfaceName(),
                p.counters().snapshot());
        }
        return all;
    }

    /**
     * The whole data plane's counters for export, read when collected (never on the packet path): the VTEP's
     * ({@link VtepCounters}), the switch's ({@link SwitchFabric#metrics()}) and each attached TAP port's
     * ({@link io.meshd.vxlan.tap.PortCounters#collect}, labelled {@code namespace} and {@code interface}: one set
     * of series per attachment, gone when it detaches).
     *
     * @return the source
     */
    public MetricSource metrics() {
        return metrics;
    }

    private void collect(MetricSink sink) {
        vtep.counters().collect(sink);
        fabric.metrics().collect(sink);
        for (TapPort p : attacher.ports()) {
            Attachment a = p.attachment();
            p.counters().collect(sink, Labels.of("namespace", a.namespace()).and("interface", a.interfaceName()));
        }
    }

    /** The counters as text, one group per line, zero drop counters left out ("drops: none" if all are). */
    public String formatCounters() {
        StringBuilder sb = new StringBuilder();
        counters().forEach((group, values) -> {
            sb.append(group).append(':');
            int shown = 0;
            for (Map.Entry<String, Long> e : values.entrySet()) {
                if (e.getValue() != 0 || !"drops".equals(group)) {
                    sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
                    shown++;
                }
            }
            if (shown == 0) {
                sb.append(" none");
            }
            sb.append(System.lineSeparator());
        });
        return sb.toString();
    }

    /** Options of a {@link VtepNode}. */
    public static final class Builder {
        private UdpVtep.Builder vtep;
        private boolean learning = true;
        private boolean flooding = true;
        private boolean tapOffloads = true;
        private int tapQueues = 1;
        private int tapPollers = TapPollers.defaultCount();
        private FrameHook frameHook;

        private Builder() {
        }

        /** The UDP endpoint's options (required). */
        public Builder vtep(UdpVtep.Builder value) {
            this.vtep = Objects.requireNonNull(value);
            return this;
        }

        /** Whether the switch learns remote MACs from decapsulated frames (default on). */
        public Builder learning(boolean value) {
            this.learning = value;
            return this;
        }

        /** Whether broadcast and unknown unicast go to the network's remote VTEPs (default on). */
        public Builder flooding(boolean value) {
            this.flooding = value;
            return this;
        }

        /** Whether TAPs take TCP super-frames and partial checksums from the kernel (default on). */
        public Builder tapOffloads(boolean value) {
            this.tapOffloads = value;
            return this;
        }

        /**
         * Queues per container TAP (default 1): with more than one, the kernel spreads a container's flows over
         * them, and the pollers ({@link #tapPollers}) read them on different cores.
         */
        public Builder tapQueues(int value) {
            if (value < 1 || value > TapAttacher.MAX_QUEUES) {
                throw new IllegalArgumentException("TAP queues must be 1.." + TapAttacher.MAX_QUEUES + ": " + value);
            }
            this.tapQueues = value;
            return this;
        }

        /**
         * Poller threads that read every queue of every attached TAP (default {@link TapPollers#defaultCount()}, one
         * per core), however many containers are attached.
         */
        public Builder tapPollers(int value) {
            if (value < 1 || value > TapPollers.MAX_POLLERS) {
                throw new IllegalArgumentException("TAP pollers must be 1.." + TapPollers.MAX_POLLERS + ": " + value);
            }
            this.tapPollers = value;
            return this;
        }

        /** A rewriter at the switch's edges, such as the VIP NAT (default none); see {@link FrameHook}. */
        public Builder frameHook(FrameHook value) {
            this.frameHook = value;
            return this;
        }

        /** Builds the VTEP and the switch on it, and starts receiving. */
        public VtepNode start() {
            return VtepNode.start(this);
        }
    }

    /** Detaches every container, then closes the sockets. */
    @Override
    public void close() {
        aging.shutdownNow();
        try {
            attacher.close();
        } finally {
            vtep.close();
        }
    }
}
