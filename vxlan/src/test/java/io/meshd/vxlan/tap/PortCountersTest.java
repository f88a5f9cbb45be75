package io.meshd.vxlan.tap;

import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricRegistry;
import io.meshd.net.metrics.MetricType;
import io.meshd.net.metrics.Sample;
import java.util.LinkedHashMap;
import java.util.stream.Collectors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.vxlan.testing.Allocations;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortCountersTest {

    private static final List<String> NAMES = List.of("rx-frames", "rx-bytes", "rx-tso-frames", "tx-frames",
        "tx-bytes", "tx-gro-frames", "tx-dropped", "errors");

    @Test
    void shouldShowEveryCounterUnderItsCliNameInOrder() {
        PortCounters counters = new PortCounters(1);
        counters.queueRead(0);
        counters.read(60);
        counters.superFrame(3, 4000);
        counters.written(100);
        counters.written(20000, 14);
        counters.written(1514, 1);
        counters.writeDropped();
        counters.error();

        Map<String, Long> snapshot = counters.snapshot();
        assertEquals(NAMES, List.copyOf(snapshot.keySet()), "one queue: no per-queue reads");
        assertEquals(List.of(4L, 4060L, 1L, 16L, 21614L, 1L, 1L, 1L), List.copyOf(snapshot.values()));
        assertEquals(4, counters.rxFrames());
        assertEquals(16, counters.txFrames());
        assertEquals(1, counters.queueReads(0));
    }

    @Test
    void shouldShowTheReadsOfEachQueueAfterTheOthers() {
        PortCounters counters = new PortCounters(3);
        counters.queueRead(0);
        counters.queueRead(2);
        counters.queueRead(2);

        Map<String, Long> snapshot = counters.snapshot();
        assertEquals(NAMES, List.copyOf(snapshot.keySet()).subList(0, NAMES.size()));
        assertEquals(List.of("rx-reads-queue-0", "rx-reads-queue-1", "rx-reads-queue-2"),
            List.copyOf(snapshot.keySet()).subList(NAMES.size(), snapshot.size()));
        assertEquals(List.of(1L, 0L, 2L), List.copyOf(snapshot.values()).subList(NAMES.size(), snapshot.size()));
        assertEquals(2, counters.queueReads(2));
    }

    @Test
    void shouldCountWithoutAllocating() {
        PortCounters counters = new PortCounters(2);
        counters.queueRead(1);
        long allocated = Allocations.bytesAllocatedBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                counters.queueRead(1);
                counters.read(1500);
                counters.written(1500);
            }
        });
        assertTrue(allocated < 1024, allocated + " bytes for 300,000 increments");
        assertEquals(100_001, counters.queueReads(1));
    }

    @Test
    void shouldExportFramesBytesOffloadsAndErrorsUnderThePortsLabels() {
        PortCounters counters = new PortCounters(1);
        counters.read(60);
        counters.superFrame(3, 4000);
        counters.written(20000, 14);
        counters.writeDropped();
        MetricRegistry registry = new MetricRegistry();
        Labels port = Labels.of("namespace", "c1").and("interface", "eth0");
        registry.register(sink -> counters.collect(sink, port));

        Map<String, Double> got = registry.samples().stream()
            .collect(Collectors.toMap(s -> s.name() + s.labels(), Sample::value, (a, b) -> a, LinkedHashMap::new));
        String p = "namespace=\"c1\",interface=\"eth0\",";
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("meshd_tap_frames_total{" + p + "direction=\"rx\"}", 4.0);
        expected.put("meshd_tap_frames_total{" + p + "direction=\"tx\"}", 14.0);
        expected.put("meshd_tap_bytes_total{" + p + "direction=\"rx\"}", 4060.0);
        expected.put("meshd_tap_bytes_total{" + p + "direction=\"tx\"}", 20000.0);
        expected.put("meshd_tap_offload_frames_total{" + p + "kind=\"tso-read\"}", 1.0);
        expected.put("meshd_tap_offload_frames_total{" + p + "kind=\"gro-write\"}", 1.0);
        expected.put("meshd_tap_errors_total{" + p + "error=\"tx-dropped\"}", 1.0);
        expected.put("meshd_tap_errors_total{" + p + "error=\"io-error\"}", 0.0);
        assertEquals(expected, got);
        assertTrue(registry.samples().stream().allMatch(s -> s.type() == MetricType.COUNTER), "all counters");
    }
}
