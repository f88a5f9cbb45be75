package io.meshd.vxlan.vtep;

import io.meshd.net.metrics.MetricRegistry;
import io.meshd.net.metrics.MetricType;
import io.meshd.net.metrics.Sample;
import java.util.stream.Collectors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.vxlan.testing.Allocations;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VtepCountersTest {

    @Test
    void shouldShowEveryCounterUnderItsCliNameInOrder() {
        VtepCounters counters = new VtepCounters();
        counters.received(100);
        counters.received(50);
        counters.receiveError();
        counters.sent(1, 1000);
        counters.sent(20, 28000);
        counters.sentBatch(5, 500);
        counters.sentBatch(1, 100);
        counters.sendBufferFull(3);
        counters.sendError(2);
        counters.oversized();

        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("rx-datagrams", 2L);
        expected.put("rx-bytes", 150L);
        expected.put("rx-errors", 1L);
        expected.put("tx-datagrams", 27L);
        expected.put("tx-bytes", 29600L);
        expected.put("tx-gso-sends", 1L);
        expected.put("tx-batch-sends", 1L);
        expected.put("tx-buffer-full", 3L);
        expected.put("tx-errors", 2L);
        expected.put("tx-oversized", 1L);
        assertEquals(expected.toString(), counters.snapshot().toString(), "names, order and values");
        assertEquals(2, counters.rxDatagrams());
        assertEquals(27, counters.txDatagrams());
    }

    @Test
    void shouldCountWithoutAllocating() {
        VtepCounters counters = new VtepCounters();
        counters.received(1);
        long allocated = Allocations.bytesAllocatedBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                counters.received(1500);
                counters.sent(2, 3000);
            }
        });
        assertTrue(allocated < 1024, allocated + " bytes for 200,000 increments");
        assertEquals(100_001, counters.rxDatagrams());
    }

    @Test
    void shouldExportDatagramsAndBytesByDirectionAndErrorsByKind() {
        VtepCounters counters = new VtepCounters();
        counters.received(100);
        counters.received(50);
        counters.sent(20, 28000);
        counters.sendBufferFull(3);
        counters.oversized();
        MetricRegistry registry = new MetricRegistry();
        registry.register(counters);

        Map<String, Double> got = registry.samples().stream()
            .collect(Collectors.toMap(s -> s.name() + s.labels(), Sample::value, (a, b) -> a, LinkedHashMap::new));
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("meshd_vtep_datagrams_total{direction=\"rx\"}", 2.0);
        expected.put("meshd_vtep_datagrams_total{direction=\"tx\"}", 20.0);
        expected.put("meshd_vtep_bytes_total{direction=\"rx\"}", 150.0);
        expected.put("meshd_vtep_bytes_total{direction=\"tx\"}", 28000.0);
        expected.put("meshd_vtep_gso_sends_total{}", 1.0);
        expected.put("meshd_vtep_batch_sends_total{}", 0.0);
        expected.put("meshd_vtep_errors_total{error=\"rx-error\"}", 0.0);
        expected.put("meshd_vtep_errors_total{error=\"tx-buffer-full\"}", 3.0);
        expected.put("meshd_vtep_errors_total{error=\"tx-error\"}", 0.0);
        expected.put("meshd_vtep_errors_total{error=\"tx-oversized\"}", 1.0);
        assertEquals(expected, got, "names, labels and values, zeros included");
        assertTrue(registry.samples().stream().allMatch(s -> s.type() == MetricType.COUNTER), "all counters");
    }
}
