package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FlowPinTableTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long TCP_IDLE = 7_440 * SECOND;
    private static final long UDP_IDLE = 300 * SECOND;
    private static final int TCP = 6;
    private static final int UDP = 17;

    private static long flowB(int clientPort, int protocol) {
        return FlowPinTable.keyB(clientPort, 80, protocol);
    }

    @Test
    void shouldReturnThePinnedBackendAndNothingForAnUnknownFlow() {
        FlowPinTable pins = FlowPinTable.create(1024, TCP_IDLE, UDP_IDLE);
        long a = FlowPinTable.keyA(0x0A000902, 0x0A000964);
        long backend = FlowPinTable.backend(0x0A000905, 8080);

        pins.pin(a, flowB(40_000, TCP), backend, 0);

        assertEquals(backend, pins.lookup(a, flowB(40_000, TCP), 1));
        assertEquals(FlowPinTable.NO_PIN, pins.lookup(a, flowB(40_001, TCP), 1), "another client port");
        assertEquals(FlowPinTable.NO_PIN, pins.lookup(a, flowB(40_000, UDP), 1), "another protocol");
        assertEquals(0x0A000905, FlowPinTable.backendIp(backend));
        assertEquals(8080, FlowPinTable.backendPort(backend));
    }

    @Test
    void shouldKeepAnIdleTcpPinPastDockersNineHundredSecondsAndExpireItAfterItsTimeout() {
        FlowPinTable pins = FlowPinTable.create(1024, TCP_IDLE, UDP_IDLE);
        long a = FlowPinTable.keyA(1, 2);
        pins.pin(a, flowB(1, TCP), 42, 0);

        assertEquals(42, pins.lookup(a, flowB(1, TCP), 901 * SECOND), "IPVS would have dropped it by now");
        assertEquals(42, pins.lookup(a, flowB(1, TCP), 901 * SECOND + TCP_IDLE - 1),
            "each packet restarts the idle time");
        assertEquals(FlowPinTable.NO_PIN, pins.lookup(a, flowB(1, TCP), 901 * SECOND + 2 * TCP_IDLE));
    }

    @Test
    void shouldExpireUdpPinsAfterTheUdpTimeout() {
        FlowPinTable pins = FlowPinTable.create(1024, TCP_IDLE, UDP_IDLE);
        long a = FlowPinTable.keyA(1, 2);
        pins.pin(a, flowB(1, UDP), 42, 0);

        assertEquals(42, pins.lookup(a, flowB(1, UDP), UDP_IDLE - 1));
        assertEquals(FlowPinTable.NO_PIN, pins.lookup(a, flowB(1, UDP), 2 * UDP_IDLE));
    }

    @Test
    void shouldReplaceAFlowsPinRatherThanHoldTwo() {
        FlowPinTable pins = FlowPinTable.create(8, TCP_IDLE, UDP_IDLE);
        long a = FlowPinTable.keyA(1, 2);
        pins.pin(a, flowB(1, TCP), 42, 0);
        pins.pin(a, flowB(1, TCP), 43, 1);

        assertEquals(43, pins.lookup(a, flowB(1, TCP), 2));
        pins.unpin(a, flowB(1, TCP));
        assertEquals(FlowPinTable.NO_PIN, pins.lookup(a, flowB(1, TCP), 3), "no older copy left behind");
    }

    @Test
    void shouldEvictTheLeastRecentlySeenPinWhenABucketIsFull() {
        FlowPinTable pins = FlowPinTable.create(FlowPinTable.WAYS, TCP_IDLE, UDP_IDLE);
        assertEquals(FlowPinTable.WAYS, pins.capacity(), "one bucket");
        long a = FlowPinTable.keyA(1, 2);
        for (int port = 0; port < FlowPinTable.WAYS; port++) {
            pins.pin(a, flowB(port, TCP), port + 100, port);
        }
        pins.lookup(a, flowB(0, TCP), 50);

        pins.pin(a, flowB(99, TCP), 199, 60);

        assertEquals(FlowPinTable.NO_PIN, pins.lookup(a, flowB(1, TCP), 61), "flow 1 was seen least recently");
        assertEquals(100, pins.lookup(a, flowB(0, TCP), 61), "flow 0 was refreshed at t=50");
        assertEquals(199, pins.lookup(a, flowB(99, TCP), 61));
        for (int port = 2; port < FlowPinTable.WAYS; port++) {
            assertEquals(port + 100, pins.lookup(a, flowB(port, TCP), 61));
        }
    }

    @Test
    void shouldHoldAtLeastItsCapacityOfDistinctFlowsWhenTheyAreSpreadEvenly() {
        FlowPinTable pins = FlowPinTable.create(4096, TCP_IDLE, UDP_IDLE);
        assertTrue(pins.capacity() >= 4096);
        int kept = 0;
        for (int port = 0; port < 2048; port++) {
            pins.pin(FlowPinTable.keyA(port * 7919, 2), flowB(port, TCP), port, 0);
        }
        for (int port = 0; port < 2048; port++) {
            kept += pins.lookup(FlowPinTable.keyA(port * 7919, 2), flowB(port, TCP), 1) == port ? 1 : 0;
        }
        // Half full: a bucket overflows only if more than WAYS of 2048 flows land in it, which the hash makes rare.
        assertTrue(kept > 2000, "kept " + kept + " of 2048");
    }

    @Test
    void shouldRejectBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> FlowPinTable.create(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> FlowPinTable.create((1 << 26) + 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> FlowPinTable.create(8, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> FlowPinTable.create(8, 1, -1));
    }

    /**
     * Writers on several threads pin flows of one small table (so buckets are contended and evict) while readers
     * look them up: a reader never sees a pin that belongs to another flow or a half-written one. Each flow's
     * backend is derived from its key, so any mismatch is a torn read.
     */
    @Test
    void shouldNeverReturnAnotherFlowsBackendUnderConcurrentWrites() throws Exception {
        FlowPinTable pins = FlowPinTable.create(64, TCP_IDLE, UDP_IDLE);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong torn = new AtomicLong();
        AtomicLong hits = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int writer = t;
            threads.add(new Thread(() -> {
                for (long i = 0; !stop.get(); i++) {
                    int port = (int) ((i * 31 + writer) & 0x3FF);
                    pins.pin(FlowPinTable.keyA(port, port ^ 0x5555), flowB(port, TCP), expected(port), i);
                }
            }));
        }
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                for (long i = 0; !stop.get(); i++) {
                    int port = (int) (i & 0x3FF);
                    long found = pins.lookup(FlowPinTable.keyA(port, port ^ 0x5555), flowB(port, TCP), i);
                    if (found != FlowPinTable.NO_PIN) {
                        hits.incrementAndGet();
                        if (found != expected(port)) {
                            torn.incrementAndGet();
                        }
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        long deadline = System.nanoTime() + 10 * SECOND;
        while (hits.get() < 200_000 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(hits.get() > 1000, "readers found pins: " + hits.get());
        assertEquals(0, torn.get(), "lookups that returned another flow's or a half-written backend");
    }

    private static long expected(int port) {
        return FlowPinTable.backend(port * 0x01010101, port + 1);
    }
}
