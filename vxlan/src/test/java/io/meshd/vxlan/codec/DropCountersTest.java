package io.meshd.vxlan.codec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DropCountersTest {
    @Test
    void shouldCountPerReasonAndSnapshotWithKebabCaseKeys() {
        DropCounters counters = new DropCounters();

        counters.increment(DropReason.UNKNOWN_VNI);
        counters.increment(DropReason.UNKNOWN_VNI);
        counters.add(DropReason.NO_ROUTE, 5);
        counters.incrementCode(-DropReason.BAD_FLAGS.code());

        Map<String, Long> snapshot = counters.snapshot();
        assertEquals(2L, snapshot.get("unknown-vni"));
        assertEquals(5L, snapshot.get("no-route"));
        assertEquals(1L, snapshot.get("bad-flags"));
        assertEquals(0L, snapshot.get("truncated"));
        assertEquals(DropReason.values().length, snapshot.size());
        assertEquals(List.of("truncated", "bad-flags"), List.copyOf(snapshot.keySet()).subList(0, 2));
        assertEquals(8, counters.total());
        assertEquals(2, counters.get(DropReason.UNKNOWN_VNI));
    }

    @Test
    void shouldMapCodesBothWays() {
        for (DropReason reason : DropReason.values()) {
            assertEquals(reason, DropReason.ofCode(reason.code()));
            assertEquals(reason, DropReason.ofCode(-reason.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> DropReason.ofCode(0));
        assertThrows(IllegalArgumentException.class, () -> DropReason.ofCode(DropReason.values().length + 1));
    }

    @Test
    void shouldCountExactlyUnderContention() throws InterruptedException {
        DropCounters counters = new DropCounters();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    counters.increment(DropReason.TRUNCATED);
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertEquals(400_000, counters.get(DropReason.TRUNCATED));
    }
}
