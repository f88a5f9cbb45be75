package io.meshd.vxlan.fabric;

import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricSink;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;
import java.util.List;

/**
 * Everything a {@link SwitchFabric} can report, as one {@link MetricSource}: its frame counters
 * ({@code meshd_switch_frames_total{event}}, ARP replies and misses included), its drops
 * ({@code meshd_vxlan_drops_total{reason}}) and the sizes of its tables, read when collected:
 * {@code meshd_switch_networks}, {@code meshd_switch_ports}, {@code meshd_switch_fdb_entries},
 * {@code meshd_switch_neighbors} and {@code meshd_switch_flood_targets}. Collecting reads table sizes (one brief
 * lock per table) and copies each network's port and flood lists: work for the exporting thread, none for the packet
 * path.
 */
final class SwitchMetrics implements MetricSource {
    private final SwitchFabric fabric;

    SwitchMetrics(SwitchFabric fabric) {
        this.fabric = fabric;
    }

    @Override
    public void collect(MetricSink sink) {
        fabric.traffic().collect(sink);
        fabric.counters().collect(sink);
        int ports = 0;
        int floodTargets = 0;
        List<Integer> vnis = fabric.networks();
        for (int vni : vnis) {
            ports += fabric.ports(vni).size();
            floodTargets += fabric.floodList().members(vni).size();
        }
        gauge(sink, "meshd_switch_networks", "Networks (VNIs) on this host's switch", vnis.size());
        gauge(sink, "meshd_switch_ports", "Local ports (TAPs) attached to the switch", ports);
        gauge(sink, "meshd_switch_fdb_entries",
            "Forwarding database entries (static and learned, aged ones until swept)",
            fabric.forwardingTable().size());
        gauge(sink, "meshd_switch_neighbors", "IPv4 neighbors the ARP responder answers for",
            fabric.neighborTable().size());
        gauge(sink, "meshd_switch_flood_targets", "Remote VTEPs in the flood lists, summed over networks",
            floodTargets);
    }

    private static void gauge(MetricSink sink, String name, String help, double value) {
        sink.sample(name, MetricType.GAUGE, help, Labels.none(), value);
    }
}
