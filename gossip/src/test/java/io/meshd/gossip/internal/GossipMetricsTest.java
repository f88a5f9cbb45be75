package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.MetricValues;
import io.meshd.gossip.internal.GossipMetrics.Drop;
import io.meshd.net.metrics.MetricRegistry;
import io.meshd.net.metrics.ThrottledLog;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class GossipMetricsTest {

    private static final long INTERVAL = ThrottledLog.DEFAULT_INTERVAL.toNanos();
    private final long[] now = {0};
    private final GossipMetrics metrics = new GossipMetrics(() -> now[0]);
    private final InetSocketAddress from = new InetSocketAddress("10.0.0.9", 7946);

    @Test
    void shouldCountEveryDropButLogEachReasonOncePerInterval() {
        assertTrue(metrics.drop(Drop.TOO_LARGE, from, null), "first of its kind is logged");
        assertTrue(metrics.drop(Drop.MISDIRECTED_PING, "other", null), "another reason has its own throttle");
        now[0] += INTERVAL - 1;
        assertFalse(metrics.drop(Drop.TOO_LARGE, from, null), "within the interval: counted only");
        now[0] += 1;
        assertTrue(metrics.drop(Drop.TOO_LARGE, from, null), "interval over: logged again");
        assertEquals(3, metrics.get(Drop.TOO_LARGE));
        assertEquals(1, metrics.get(Drop.MISDIRECTED_PING));
        assertEquals(3, MetricValues.value(metrics, "meshd_gossip_drops_total", "reason", "too-large"));
    }

    @Test
    void shouldMapEveryDecoderAndSealerReasonToItsOwnDrop() {
        assertEquals(Drop.MALFORMED_BAD_TYPE, Drop.of(CodecException.Reason.BAD_TYPE));
        assertEquals(Drop.TRUNCATED, Drop.of(io.meshd.gossip.security.PacketSealer.Rejection.TRUNCATED));
        for (CodecException.Reason r : CodecException.Reason.values()) {
            assertEquals("MALFORMED_" + r.name(), Drop.of(r).name());
        }
        for (io.meshd.gossip.security.PacketSealer.Rejection r
            : io.meshd.gossip.security.PacketSealer.Rejection.values()) {
            assertEquals(r.name(), Drop.of(r).name());
        }
    }

    @Test
    void shouldRegisterWithTheSharedRegistryUnderValidNames() {
        MetricRegistry registry = new MetricRegistry();
        registry.register(metrics);
        assertFalse(registry.samples().isEmpty());
    }

    @Test
    void shouldCountDropsWithoutAllocating() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        metrics.drop(Drop.DECRYPT_FAILED, from, null);
        for (int i = 0; i < 20_000; i++) {
            metrics.drop(Drop.DECRYPT_FAILED, from, null);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            metrics.drop(Drop.DECRYPT_FAILED, from, null);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // One allocating drop would cost at least 16 bytes each, 1.6 MB in all. The few bytes a run may show come
        // from the JVM itself (compilation, or the fuzzing agent when fuzz tests share the JVM), not from the drops.
        assertTrue(allocated < 1024, "bytes allocated by 100 000 drops: " + allocated);
        assertEquals(120_001, metrics.get(Drop.DECRYPT_FAILED));
    }
}
