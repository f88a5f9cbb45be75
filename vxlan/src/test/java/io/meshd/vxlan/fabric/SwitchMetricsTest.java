package io.meshd.vxlan.fabric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshd.net.metrics.MetricRegistry;
import io.meshd.net.metrics.MetricType;
import io.meshd.net.metrics.Sample;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import io.meshd.packet.testing.TestFrames;
import io.meshd.vxlan.codec.DropReason;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SwitchMetricsTest {
    private static final int VNI = 42;
    private static final int OTHER_VNI = 43;
    private static final long MAC_A = MacAddress.parse("02:42:0a:00:00:02");
    private static final long MAC_B = MacAddress.parse("02:42:0a:00:00:03");

    private final RecordingPort portA = new RecordingPort(1);
    private final RecordingPort portB = new RecordingPort(2);
    private final SwitchFabric fabric = SwitchFabric.builder().uplink(new RecordingUplink()).build();

    private Map<String, Sample> samples() {
        MetricRegistry registry = new MetricRegistry();
        registry.register(fabric.metrics());
        return registry.samples().stream().collect(Collectors.toMap(s -> s.name() + s.labels(), s -> s));
    }

    private double value(String series) {
        Sample s = samples().get(series);
        if (s == null) {
            throw new AssertionError(series + " not exported: " + samples().keySet());
        }
        return s.value();
    }

    @Test
    void shouldReportTheTablesSizesAsGauges() {
        assertEquals(0, value("meshd_switch_networks{}"), "empty");
        fabric.addNetwork(VNI);
        fabric.addNetwork(OTHER_VNI);
        fabric.attach(VNI, portA, MAC_A);
        fabric.attach(OTHER_VNI, portB, MAC_B);
        fabric.floodList().add(VNI, RemoteVtep.parse("10.1.0.2:4789"));
        fabric.floodList().add(VNI, RemoteVtep.parse("10.1.0.3:4789"));
        fabric.floodList().add(OTHER_VNI, RemoteVtep.parse("10.1.0.2:4789"));
        fabric.addRemoteEndpoint(VNI, Ipv4.parse("10.0.0.77"), MacAddress.parse("02:42:0a:00:00:4d"),
            RemoteVtep.parse("10.1.0.2:4789"));

        Map<String, Sample> s = samples();
        for (String gauge : List.of("networks", "ports", "fdb_entries", "neighbors", "flood_targets")) {
            assertEquals(MetricType.GAUGE, s.get("meshd_switch_" + gauge + "{}").type(), gauge);
        }
        assertEquals(2, value("meshd_switch_networks{}"));
        assertEquals(2, value("meshd_switch_ports{}"));
        assertEquals(3, value("meshd_switch_fdb_entries{}"), "two ports' MACs and the remote endpoint's");
        assertEquals(1, value("meshd_switch_neighbors{}"));
        assertEquals(3, value("meshd_switch_flood_targets{}"));

        fabric.removeNetwork(VNI);
        assertEquals(1, value("meshd_switch_networks{}"));
        assertEquals(1, value("meshd_switch_fdb_entries{}"));
        assertEquals(0, value("meshd_switch_neighbors{}"));
        assertEquals(1, value("meshd_switch_flood_targets{}"));
    }

    @Test
    void shouldCountArpRepliesAndMissesAndExportFramesAndDropsByLabel() {
        fabric.addNetwork(VNI);
        fabric.attach(VNI, portA, MAC_A);
        fabric.attach(VNI, portB, MAC_B);
        fabric.neighborTable().put(VNI, Ipv4.parse("10.0.0.99"), MacAddress.parse("02:42:0a:00:00:63"));
        UnsafeBuffer known = TestFrames.arpRequest(MAC_A, Ipv4.parse("10.0.0.2"), Ipv4.parse("10.0.0.99"));
        UnsafeBuffer unknown = TestFrames.arpRequest(MAC_A, Ipv4.parse("10.0.0.2"), Ipv4.parse("10.0.0.98"));
        UnsafeBuffer gratuitous = TestFrames.arpRequest(MAC_A, Ipv4.parse("10.0.0.2"), Ipv4.parse("10.0.0.2"));

        fabric.fromLocal(portA, known, 0, known.capacity());
        fabric.fromLocal(portA, unknown, 0, unknown.capacity());
        fabric.fromLocal(portA, unknown, 0, unknown.capacity());
        fabric.fromLocal(portA, gratuitous, 0, gratuitous.capacity());
        fabric.fromLocal(portA, known, 0, 3);

        assertEquals(1, value("meshd_switch_frames_total{event=\"arp-replies\"}"));
        assertEquals(2, value("meshd_switch_frames_total{event=\"arp-misses\"}"), "a gratuitous request is no miss");
        assertEquals(5, value("meshd_switch_frames_total{event=\"from-local\"}"));
        assertEquals(3, portB.count(), "the two misses are flooded as before, the gratuitous request too");
        assertEquals(1, value("meshd_vxlan_drops_total{reason=\"truncated\"}"));
        for (DropReason reason : DropReason.values()) {
            assertEquals(MetricType.COUNTER, samples().get("meshd_vxlan_drops_total{reason=\"" + reason.key()
                + "\"}").type(), "every reason exported, zeros included: " + reason);
        }
    }
}
