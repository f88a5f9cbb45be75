package io.meshd.daemon;

import io.meshd.lb.FlowPinTable;
import io.meshd.lb.LbCounter;
import io.meshd.lb.MacResolver;
import io.meshd.lb.ServiceTable;
import io.meshd.lb.VipFrameNat;
import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.MetricSource;
import io.meshd.vxlan.fabric.FrameHook;
import io.meshd.vxlan.fabric.NeighborTable;
import io.meshd.vxlan.fabric.SwitchFabric;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The VIP NAT in the overlay switch: a {@link FrameHook} that runs {@link VipFrameNat} on every frame a local
 * endpoint sends and on every frame delivered to one. The service table, the flow pins and the counters are shared
 * by every packet thread; each thread gets its own translator (flyweights and a reply buffer), created on its
 * first frame. Backend MACs come from the switch's neighbor table, which also answers ARP for each VIP
 * ({@link #announce}).
 */
public final class VipSwitchHook implements FrameHook {
    private final ThreadLocal<VipFrameNat> translators;
    private final EnumCounters<LbCounter> counters;
    private final MetricSource metrics;

    /**
     * A hook over {@code services}, with its own flow pins and counters.
     *
     * @param services the node's services
     * @param pins the node's flow pins
     * @param neighbors the switch's neighbor table, where backend MACs are found
     */
    public VipSwitchHook(ServiceTable services, FlowPinTable pins, Supplier<NeighborTable> neighbors) {
        this(services, pins, neighbors, System::nanoTime);
    }

    /**
     * A hook whose flow pins age by {@code nanoClock} (tests inject one to cross idle timeouts without waiting).
     *
     * @param services the node's services
     * @param pins the node's flow pins
     * @param neighbors the switch's neighbor table, where backend MACs are found
     * @param nanoClock monotonic nanoseconds
     */
    public VipSwitchHook(ServiceTable services, FlowPinTable pins, Supplier<NeighborTable> neighbors,
        LongSupplier nanoClock) {
        this.counters = VipFrameNat.newCounters();
        MacResolver macs = (vni, ip) -> {
            long mac = neighbors.get().lookup(vni, ip);
            return mac == NeighborTable.NONE ? MacResolver.UNKNOWN : mac;
        };
        this.translators = ThreadLocal.withInitial(() -> new VipFrameNat(services, pins, nanoClock, macs,
            counters));
        MetricSource table = services.metrics();
        MetricSource flowPins = pins.metrics(nanoClock);
        this.metrics = sink -> {
            counters.collect(sink);
            table.collect(sink);
            flowPins.collect(sink);
        };
    }

    /**
     * Makes the switch's ARP responder answer for {@code vip} on network {@code vni} with the VIP's MAC, so clients
     * address frames to the VIP to the hook.
     *
     * @param fabric the switch
     * @param vni the network
     * @param vip the VIP
     */
    public static void announce(SwitchFabric fabric, int vni, int vip) {
        fabric.neighborTable().put(vni, vip, VipFrameNat.vipMac(vip));
    }

    /**
     * What the hook did, by outcome.
     *
     * @return the counters, {@code meshd_lb_frames_total{event}}
     */
    public EnumCounters<LbCounter> counters() {
        return counters;
    }

    /**
     * The load balancer's metrics, read when collected: the frame counters ({@link #counters()}), the services'
     * backends by state and flows ({@link ServiceTable#metrics()}) and the flow pins
     * ({@link FlowPinTable#metrics}).
     *
     * @return the source
     */
    public MetricSource metrics() {
        return metrics;
    }

    @Override
    public Verdict fromEndpoint(int vni, MutableDirectBuffer frame, int offset, int length) {
        switch (translators.get().fromEndpoint(vni, frame, offset, length)) {
            case REPLY:
                return Verdict.REPLY;
            case DROP:
                return Verdict.DROP;
            default:
                return Verdict.FORWARD;
        }
    }

    @Override
    public void towardsEndpoint(int vni, MutableDirectBuffer frame, int offset, int length) {
        translators.get().towardsEndpoint(frame, offset, length);
    }

    @Override
    public DirectBuffer reply() {
        return translators.get().reply();
    }

    @Override
    public int replyLength() {
        return translators.get().replyLength();
    }
}
