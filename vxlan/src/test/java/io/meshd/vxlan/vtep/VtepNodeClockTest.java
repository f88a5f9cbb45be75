package io.meshd.vxlan.vtep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.vxlan.testing.Await;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.Test;

/** The switch's clock in a {@link VtepNode}: read per frame for free, advanced by the aging thread. */
class VtepNodeClockTest {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(VtepNode.CLOCK_TICK_MILLIS);

    @Test
    void shouldStartAtNowAndAdvanceWithoutGettingAhead() {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        try {
            long before = System.nanoTime();
            NanoClock clock = VtepNode.tickingClock(ticker);
            long first = clock.nanoTime();
            assertTrue(first >= before && first <= System.nanoTime(), "starts at the time it was made");

            // Waits for a tick rather than timing one: a busy machine may starve the ticker thread for a while.
            Await.until(() -> clock.nanoTime() != first, Duration.ofSeconds(10));
            long advanced = clock.nanoTime() - first;
            assertTrue(advanced >= TICK_NANOS / 2, "advanced by the ticker: " + advanced);
            assertTrue(clock.nanoTime() <= System.nanoTime(), "never ahead of the system clock");
        } finally {
            ticker.shutdownNow();
        }
    }

    @Test
    void shouldStopAdvancingWhenItsTickerStops() throws InterruptedException {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        NanoClock clock = VtepNode.tickingClock(ticker);
        ticker.shutdownNow();
        assertTrue(ticker.awaitTermination(5, TimeUnit.SECONDS));
        long stopped = clock.nanoTime();
        // Not a wait for something to happen but a window in which nothing may: three ticks, watched throughout.
        long end = System.nanoTime() + 3 * TICK_NANOS;
        while (System.nanoTime() < end) {
            assertEquals(stopped, clock.nanoTime(), "no thread left behind to advance it");
            LockSupport.parkNanos(TICK_NANOS / 10);
        }
        assertEquals(stopped, clock.nanoTime(), "no thread left behind to advance it");
    }
}
