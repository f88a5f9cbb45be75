package io.meshd.net.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;

class ThrottledLogTest {

    private static final long SECOND = 1_000_000_000L;

    /** The warn calls a logger received: method arguments as a list each. */
    private final List<List<Object>> warnings = new ArrayList<>();
    private final Logger recorder = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
        new Class<?>[] {Logger.class}, (proxy, method, args) -> {
            if ("warn".equals(method.getName())) {
                warnings.add(Arrays.asList(args));
            }
            return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
        });
    private final CachedNanoClock clock = new CachedNanoClock();

    @Test
    void shouldLogTheFirstWarningThenOnePerInterval() {
        clock.update(5 * SECOND);
        ThrottledLog log = ThrottledLog.of(recorder, Duration.ofSeconds(10), clock);
        RuntimeException cause = new RuntimeException("boom");

        assertTrue(log.warn("first", cause), "the first one is logged");
        assertFalse(log.warn("second", cause));
        clock.advance(10 * SECOND - 1);
        assertFalse(log.warn("just before the interval is over", cause));
        clock.advance(1);
        assertTrue(log.warn("dropping a frame from {}", "ns1:eth0", cause));
        assertFalse(log.warn("dropping a frame from {}", "ns1:eth0", cause));

        assertEquals(List.of(List.of("first", cause), List.of("dropping a frame from {}", "ns1:eth0", cause)),
            warnings, "the format and its argument are passed on, not formatted first");
    }

    @Test
    void shouldLetOneOfManyRacingThreadsLog() throws InterruptedException {
        ThrottledLog log = ThrottledLog.of(NOPLogger.NOP_LOGGER, Duration.ofSeconds(10), clock);
        AtomicInteger logged = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (log.warn("error", new IllegalStateException())) {
                        logged.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertEquals(1, logged.get(), "the clock did not move: one line in all");
    }

    @Test
    void shouldRejectAnIntervalThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class, () -> ThrottledLog.of(recorder, Duration.ZERO, clock));
        assertEquals(Duration.ofSeconds(10), ThrottledLog.DEFAULT_INTERVAL);
    }
}
