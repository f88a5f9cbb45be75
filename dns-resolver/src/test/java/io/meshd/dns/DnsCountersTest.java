package io.meshd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricRegistry;
import io.meshd.net.metrics.MetricType;
import io.meshd.net.metrics.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsCountersTest {

    private final DnsCounters counters = new DnsCounters();

    private static double value(List<Sample> samples, String name, Labels labels) {
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().equals(labels)) {
                return s.value();
            }
        }
        throw new AssertionError("no sample " + name + labels + " in " + samples);
    }

    @Test
    void shouldExportEveryCounterUnderOneRegistry() {
        DnsCounters.Stripe loopOne = counters.stripe();
        DnsCounters.Stripe loopTwo = counters.stripe();
        loopOne.query(1);
        loopTwo.query(1);
        loopOne.query(28);
        loopOne.query(99);
        loopOne.answer(Rcode.NXDOMAIN);
        loopTwo.answer(Rcode.NOERROR);
        loopTwo.truncated();
        counters.drop(DnsCounters.Drop.TOO_SHORT);
        counters.forward(DnsCounters.Forward.TIMEOUT);
        MetricRegistry registry = new MetricRegistry();
        registry.register(counters);
        List<Sample> samples = registry.samples();
        assertEquals(2, value(samples, "meshd_dns_queries_total", Labels.of("type", "A")));
        assertEquals(1, value(samples, "meshd_dns_queries_total", Labels.of("type", "AAAA")));
        assertEquals(1, value(samples, "meshd_dns_queries_total", Labels.of("type", "OTHER")));
        assertEquals(0, value(samples, "meshd_dns_queries_total", Labels.of("type", "SRV")), "zeros are reported");
        assertEquals(1, value(samples, "meshd_dns_answers_total", Labels.of("rcode", "NXDOMAIN")));
        assertEquals(1, value(samples, "meshd_dns_truncated_answers_total", Labels.none()));
        assertEquals(1, value(samples, "meshd_dns_drops_total", Labels.of("reason", "too-short")));
        assertEquals(1, value(samples, "meshd_dns_forwards_total", Labels.of("outcome", "timeout")));
        for (Sample s : samples) {
            assertTrue(s.name().startsWith("meshd_dns_"), s.name());
            assertTrue(s.type() != MetricType.COUNTER || s.name().endsWith("_total"), s.name());
        }
    }

    @Test
    void shouldExportLatencyAsCumulativeBuckets() {
        DnsCounters.Stripe stripe = counters.stripe();
        stripe.latency(500);
        stripe.latency(3_000);
        stripe.latency(3_000_000);
        List<Sample> samples = registrySamples();
        String bucket = "meshd_dns_answer_latency_seconds_bucket";
        assertEquals(1, value(samples, bucket, Labels.of("le", "0.000001024")));
        assertEquals(2, value(samples, bucket, Labels.of("le", "0.000004096")));
        assertEquals(2, value(samples, bucket, Labels.of("le", "0.001048576")));
        assertEquals(3, value(samples, bucket, Labels.of("le", "0.004194304")));
        assertEquals(3, value(samples, bucket, Labels.of("le", "+Inf")));
        assertEquals(3, value(samples, "meshd_dns_answer_latency_seconds_count", Labels.none()));
        double previous = 0;
        for (Sample s : samples) {
            if (s.name().equals(bucket)) {
                assertTrue(s.value() >= previous, "buckets are cumulative");
                previous = s.value();
            }
        }
    }

    private List<Sample> registrySamples() {
        MetricRegistry registry = new MetricRegistry();
        registry.register(counters);
        return registry.samples();
    }

    @Test
    void shouldListOnlyNonZeroCountersInTheSnapshot() {
        counters.stripe().answer(Rcode.SERVFAIL);
        counters.drop(DnsCounters.Drop.CHANNEL_ERROR);
        assertEquals(Map.of("meshd_dns_answers_total{rcode=\"SERVFAIL\"}", 1L,
            "meshd_dns_drops_total{reason=\"channel-error\"}", 1L), counters.snapshot());
    }
}
