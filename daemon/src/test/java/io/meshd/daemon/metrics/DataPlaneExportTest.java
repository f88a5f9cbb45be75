package io.meshd.daemon.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.daemon.VipSwitchHook;
import io.meshd.lb.FlowPinTable;
import io.meshd.lb.MaglevTable;
import io.meshd.lb.ServiceSpec;
import io.meshd.lb.ServiceTable;
import io.meshd.net.metrics.MetricRegistry;
import io.meshd.vxlan.vtep.UdpVtep;
import io.meshd.vxlan.vtep.VtepNode;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The data plane's sources as the agent registers them ({@link VtepNode#metrics()}, {@link VipSwitchHook#metrics()})
 * exported through {@link PrometheusBridge}: every family under its name and type, none folded into another (the
 * client names a counter's family without {@code _total}, so a gauge {@code X} beside a counter {@code X_total}
 * would break the scrape).
 */
class DataPlaneExportTest {
    private static final Map<String, String> FAMILIES = Map.ofEntries(
        Map.entry("meshd_vtep_datagrams_total", "counter"), Map.entry("meshd_vtep_bytes_total", "counter"),
        Map.entry("meshd_vtep_gso_sends_total", "counter"), Map.entry("meshd_vtep_batch_sends_total", "counter"),
        Map.entry("meshd_vtep_errors_total", "counter"),
        Map.entry("meshd_vxlan_drops_total", "counter"), Map.entry("meshd_switch_frames_total", "counter"),
        Map.entry("meshd_switch_networks", "gauge"), Map.entry("meshd_switch_ports", "gauge"),
        Map.entry("meshd_switch_fdb_entries", "gauge"), Map.entry("meshd_switch_neighbors", "gauge"),
        Map.entry("meshd_switch_flood_targets", "gauge"), Map.entry("meshd_lb_frames_total", "counter"),
        Map.entry("meshd_lb_services", "gauge"), Map.entry("meshd_lb_backends", "gauge"),
        Map.entry("meshd_lb_flows_total", "counter"), Map.entry("meshd_lb_flow_pin_events_total", "counter"),
        Map.entry("meshd_lb_flow_pins", "gauge"), Map.entry("meshd_lb_flow_pin_capacity", "gauge"));

    @Test
    void shouldExportEveryDataPlaneFamilyUnderItsNameAndType() throws Exception {
        ServiceTable services = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        ServiceSpec web = ServiceSpec.parse("10.0.9.100:80/tcp=10.0.9.5:8080,10.0.9.6:8080=0");
        services.put(web.key(), web.backends());
        AtomicReference<VtepNode> node = new AtomicReference<>();
        VipSwitchHook hook = new VipSwitchHook(services, FlowPinTable.withDefaults(),
            () -> node.get().fabric().neighborTable());
        Inet4Address loopback = (Inet4Address) InetAddress.getByName("127.0.0.1");
        try (VtepNode vtep = VtepNode.builder().vtep(UdpVtep.builder().local(loopback).port(0)
            .ephemeralSourcePorts(2)).frameHook(hook).start()) {
            node.set(vtep);
            vtep.addNetwork(42);
            MetricRegistry registry = new MetricRegistry();
            registry.register(vtep.metrics());
            registry.register(hook.metrics());
            registry.samples(); // one type and help per name, no series twice

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(out, new PrometheusBridge(registry).collect());
            String text = out.toString(StandardCharsets.UTF_8);
            TextExposition e = TextExposition.parse(text);
            FAMILIES.forEach((family, type) -> assertEquals(type, e.types().get(family), family + "\n" + text));
            assertEquals(FAMILIES.size(), e.types().size(), "nothing else: " + e.types().keySet());
            assertEquals(1.0, e.values().get("meshd_switch_networks"), text);
            assertEquals(1.0, e.values().get("meshd_lb_backends{service=\"10.0.9.100:80/tcp\",state=\"healthy\"}"),
                text);
            assertEquals(1.0, e.values().get("meshd_lb_backends{service=\"10.0.9.100:80/tcp\",state=\"drained\"}"),
                text);
            assertTrue(e.values().get("meshd_lb_flow_pin_capacity") >= FlowPinTable.DEFAULT_CAPACITY, text);
        }
    }
}
