package io.meshd.vxlan.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The allocation check can fail: it catches a batch that allocates one small object per packet, or per batch. */
class AllocationsTest {
    private static final int PACKETS = 10_000;
    private Object last;

    @Test
    void shouldCatchOneAllocationPerPacket() {
        Runnable batch = () -> {
            for (int i = 0; i < PACKETS; i++) {
                last = new Object();
            }
        };
        batch.run();
        assertThrows(AssertionError.class, () -> Allocations.assertAllocatesNothing(batch, PACKETS));
    }

    @Test
    void shouldCatchOneSmallAllocationPerBatch() {
        Runnable batch = () -> last = new long[2];
        batch.run();
        assertThrows(AssertionError.class, () -> Allocations.assertAllocatesNothing(batch, PACKETS));
    }
}
