package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.meshd.net.metrics.MetricRegistry;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;
import io.meshd.net.metrics.Sample;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The load balancer's metrics: per-service backends by state and flows, and the flow pins. */
class LbMetricsTest {
    private static final int IP = EthernetView.HEADER_LENGTH;
    private static final long SECOND = 1_000_000_000L;
    private static final int CLIENT = Ipv4.parse("10.0.9.2");
    private static final int VIP = Ipv4.parse("10.0.9.100");
    private static final ServiceKey WEB = ServiceKey.parse("10.0.9.100:80/tcp");
    private static final ServiceKey DNS = ServiceKey.parse("10.0.9.101:53/udp");
    private static final String WEB_LABEL = "service=\"10.0.9.100:80/tcp\"";

    private long now = SECOND;
    private final ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
    private final FlowPinTable pins = FlowPinTable.withDefaults();
    private final VipNat nat = new VipNat(table, pins, () -> now);

    private static Map<String, Sample> samples(MetricSource source) {
        MetricRegistry registry = new MetricRegistry();
        registry.register(source);
        return registry.samples().stream().collect(Collectors.toMap(s -> s.name() + s.labels(), s -> s));
    }

    private static double value(MetricSource source, String series) {
        Sample s = samples(source).get(series);
        if (s == null) {
            throw new AssertionError(series + " not exported: " + samples(source).keySet());
        }
        return s.value();
    }

    private void send(int clientPort) {
        UnsafeBuffer segment = VipNatTest.tcp(CLIENT, VIP, clientPort, 80, 0);
        assertEquals(NatVerdict.TRANSLATED, nat.toBackend(segment, IP, segment.capacity() - IP));
    }

    @Test
    void shouldReportEachServicesBackendsByState() {
        table.put(WEB, List.of(ServiceBackend.parse("10.0.9.5:8080"), ServiceBackend.parse("10.0.9.6:8080=0"),
            ServiceBackend.parse("10.0.9.7:8080").withHealthy(false), ServiceBackend.parse("10.0.9.8:8080=3")));
        table.put(DNS, List.of(ServiceBackend.parse("10.0.9.5:53")));

        Map<String, Sample> s = samples(table.metrics());
        assertEquals(2, s.get("meshd_lb_services{}").value());
        assertEquals(MetricType.GAUGE, s.get("meshd_lb_services{}").type());
        assertEquals(2, s.get("meshd_lb_backends{" + WEB_LABEL + ",state=\"healthy\"}").value());
        assertEquals(1, s.get("meshd_lb_backends{" + WEB_LABEL + ",state=\"drained\"}").value());
        assertEquals(1, s.get("meshd_lb_backends{" + WEB_LABEL + ",state=\"unhealthy\"}").value());
        assertEquals(MetricType.GAUGE, s.get("meshd_lb_backends{" + WEB_LABEL + ",state=\"healthy\"}").type());
        assertEquals(1, s.get("meshd_lb_backends{service=\"10.0.9.101:53/udp\",state=\"healthy\"}").value());
        assertEquals(0, s.get("meshd_lb_flows_total{" + WEB_LABEL + "}").value());
        assertEquals(MetricType.COUNTER, s.get("meshd_lb_flows_total{" + WEB_LABEL + "}").type());

        table.remove(DNS);
        assertFalse(samples(table.metrics()).keySet().stream().anyMatch(k -> k.contains("10.0.9.101")),
            "a removed service's series go");
    }

    @Test
    void shouldCountNewFlowsPerServiceAcrossBackendChangesButNotThePinnedOnesAgain() {
        table.put(WEB, List.of(ServiceBackend.parse("10.0.9.5:8080"), ServiceBackend.parse("10.0.9.6:8080")));
        send(40_000);
        send(40_001);
        send(40_000);
        assertEquals(2, value(table.metrics(), "meshd_lb_flows_total{" + WEB_LABEL + "}"), "two flows");

        table.put(WEB, List.of(ServiceBackend.parse("10.0.9.5:8080"), ServiceBackend.parse("10.0.9.6:8080"),
            ServiceBackend.parse("10.0.9.7:8080")));
        table.update(WEB, "10.0.9.6:8080", b -> b.withWeight(0));
        send(40_002);
        assertEquals(3, value(table.metrics(), "meshd_lb_flows_total{" + WEB_LABEL + "}"),
            "the count survives the service's rebuilds");
    }

    @Test
    void shouldReportPinsWrittenEvictedAndLiveAndTheCapacity() {
        FlowPinTable small = FlowPinTable.create(FlowPinTable.WAYS, 10 * SECOND, 5 * SECOND);
        long[] clock = {0};
        MetricSource source = small.metrics(() -> clock[0]);
        long vipKey = FlowPinTable.keyA(CLIENT, VIP);
        for (int port = 1; port <= FlowPinTable.WAYS + 2; port++) {
            small.pin(vipKey, FlowPinTable.keyB(port, 80, Protocol.TCP.number()), 42, 0);
        }
        small.pin(vipKey, FlowPinTable.keyB(1, 53, Protocol.UDP.number()), 42, SECOND);

        Map<String, Sample> s = samples(source);
        assertEquals(FlowPinTable.WAYS, s.get("meshd_lb_flow_pin_capacity{}").value(), "one bucket");
        assertEquals(FlowPinTable.WAYS, s.get("meshd_lb_flow_pins{}").value(), "the bucket is full");
        assertEquals(MetricType.GAUGE, s.get("meshd_lb_flow_pins{}").type());
        assertEquals(FlowPinTable.WAYS + 3, s.get("meshd_lb_flow_pin_events_total{event=\"pinned\"}").value());
        assertEquals(3, s.get("meshd_lb_flow_pin_events_total{event=\"evicted\"}").value(),
            "each pin past the eighth pushed a live one out");

        clock[0] = 7 * SECOND;
        assertEquals(FlowPinTable.WAYS - 1, value(source, "meshd_lb_flow_pins{}"), "the UDP pin idled out");
        clock[0] = 11 * SECOND;
        assertEquals(0, value(source, "meshd_lb_flow_pins{}"), "every TCP pin idled out too");
    }
}
