package io.meshd.daemon.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.DnsCounters;
import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricRegistry;
import io.meshd.net.metrics.MetricType;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrometheusBridgeTest {

    enum Drop {
        UNKNOWN_VNI,
        TOO_SHORT,
    }

    private static String text(MetricRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, new PrometheusBridge(registry).collect());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldExportCountersAndGaugesUnderTheirOwnNamesWithTypesHelpAndLabels() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        EnumCounters<Drop> drops = registry.register(new EnumCounters<>(Drop.class, "meshd_test_drops_total",
            "Frames dropped, by reason", "reason"));
        drops.add(Drop.TOO_SHORT, 3);
        registry.register(sink -> {
            sink.sample("meshd_test_members", MetricType.GAUGE, "Members by state", Labels.of("state", "alive"), 2);
            sink.sample("meshd_test_members", MetricType.GAUGE, "Members by state", Labels.of("state", "dead"), 1);
        });
        String text = text(registry);
        TextExposition e = TextExposition.parse(text);
        assertEquals("counter", e.types().get("meshd_test_drops_total"), text);
        assertEquals("gauge", e.types().get("meshd_test_members"), text);
        assertEquals(3.0, e.values().get("meshd_test_drops_total{reason=\"too-short\"}"), text);
        assertEquals(0.0, e.values().get("meshd_test_drops_total{reason=\"unknown-vni\"}"), text);
        assertEquals(2.0, e.values().get("meshd_test_members{state=\"alive\"}"), text);
        assertEquals(3.0, e.sum("meshd_test_members"), text);
        assertTrue(text.contains("# HELP meshd_test_drops_total Frames dropped, by reason\n"), text);
        assertFalse(text.contains("_total_total"), text);
    }

    @Test
    void shouldEscapeLabelValuesSoTheOutputStaysParseable() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.register(sink -> sink.sample("meshd_test_services", MetricType.GAUGE, "Services",
            Labels.of("service", "we\"b\\1\nx"), 1));
        String text = text(registry);
        TextExposition e = TextExposition.parse(text);
        assertEquals(1.0, e.values().get("meshd_test_services{service=\"we\\\"b\\\\1\\nx\"}"), text);
    }

    @Test
    void shouldLeaveOutASampleWhoseTypeDisagreesWithItsFamily() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.register(sink -> {
            sink.sample("meshd_test_things", MetricType.GAUGE, "Things", Labels.of("k", "a"), 1);
            sink.sample("meshd_test_things", MetricType.COUNTER, "Things", Labels.of("k", "b"), 5);
        });
        TextExposition e = TextExposition.parse(text(registry));
        assertEquals(1, e.values().size(), e.values().toString());
    }

    @Test
    void shouldExportTheDnsLatencyBucketsAsOneHistogram() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        DnsCounters dns = registry.register(new DnsCounters());
        dns.stripe().latency(2_000);
        dns.stripe().latency(3_000_000);
        dns.stripe().latency(3_000_000);
        String text = text(registry);
        TextExposition e = TextExposition.parse(text);
        assertEquals("histogram", e.types().get("meshd_dns_answer_latency_seconds"), text);
        assertFalse(e.types().containsKey("meshd_dns_answer_latency_seconds_bucket"), text);
        assertEquals(3.0, e.values().get("meshd_dns_answer_latency_seconds_count"), text);
        assertEquals(3.0, e.values().get("meshd_dns_answer_latency_seconds_bucket{le=\"+Inf\"}"), text);
        assertEquals(0.0, e.values().get("meshd_dns_answer_latency_seconds_bucket{le=\"1.024E-6\"}"), text);
        assertEquals(1.0, e.values().get("meshd_dns_answer_latency_seconds_bucket{le=\"4.096E-6\"}"), text);
        assertEquals(3.0, e.values().get("meshd_dns_answer_latency_seconds_bucket{le=\"0.004194304\"}"), text);
        assertEquals("counter", e.types().get("meshd_dns_queries_total"), text);
    }

    @Test
    void shouldKeepBucketNamedGaugesWithoutAnInfiniteBoundAsGauges() throws IOException {
        MetricRegistry registry = new MetricRegistry();
        registry.register(sink -> sink.sample("meshd_test_odd_bucket", MetricType.GAUGE, "Odd",
            Labels.of("le", "1"), 1));
        TextExposition e = TextExposition.parse(text(registry));
        assertEquals("gauge", e.types().get("meshd_test_odd_bucket"), e.types().toString());
    }

    @Test
    void shouldRejectWhatIsNotTheTextFormat() {
        assertThrows(IllegalArgumentException.class, () -> TextExposition.parse("x 1\n"), "no TYPE");
        assertThrows(IllegalArgumentException.class, () -> TextExposition.parse("# TYPE x gauge\nx{a=\"b} 1\n"));
        assertThrows(IllegalArgumentException.class, () -> TextExposition.parse("# TYPE x gauge\nx one\n"));
        assertThrows(IllegalArgumentException.class, () -> TextExposition.parse("# TYPE x gauge\nx 1\nx 2\n"));
        assertThrows(IllegalArgumentException.class, () -> TextExposition.parse("# TYPE x gauge\nx 1"));
        assertThrows(IllegalArgumentException.class,
            () -> TextExposition.parse("# TYPE x gauge\n# TYPE y gauge\nx{a=\"1\"} 1\ny 1\nx{a=\"2\"} 1\n"));
    }
}
