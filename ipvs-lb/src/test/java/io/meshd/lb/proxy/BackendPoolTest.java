package io.meshd.lb.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.lb.MaglevTable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The pool's backends replaced while other threads pick and mark: every pick comes from one consistent set. */
class BackendPoolTest {
    private static final int TABLE = 251;

    private static List<ProxyBackend> set(int first, int n) throws Exception {
        List<ProxyBackend> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ProxyBackend(new InetSocketAddress(InetAddress.getByName("10.0.0." + (first + i)), 80), 1));
        }
        return out;
    }

    @Test
    void shouldNeverPickAcrossTwoSetsWhileReplacedAndMarked() throws Exception {
        List<ProxyBackend> three = set(1, 3);
        List<ProxyBackend> two = set(11, 2);
        BackendPool pool = new BackendPool(three, TABLE);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong picks = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int seed = t;
            threads.add(new Thread(() -> {
                int port = 1024 + seed;
                try {
                    while (!stop.get()) {
                        InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                        port = port == 65_535 ? 1024 : port + 1;
                        Optional<ProxyBackend> b = pool.pick(client, 6);
                        if (b.isPresent() && !three.contains(b.get()) && !two.contains(b.get())) {
                            throw new AssertionError("picked a backend of no set: " + b.get());
                        }
                        picks.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        threads.add(new Thread(() -> { // an event loop marking backends down and up as connections fail and recover
            try {
                for (int i = 0; !stop.get(); i++) {
                    List<ProxyBackend> now = pool.backends();
                    pool.mark(now.get(i % now.size()), i % 2 == 0);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }));
        threads.forEach(Thread::start);
        for (int i = 0; i < 400; i++) {
            pool.replace(i % 2 == 0 ? two : three);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(null, failure.get(), "no pick or mark failed: " + failure.get());
        assertTrue(picks.get() > 0, "the pickers ran");
        assertEquals(three, pool.backends(), "the last set given");
        assertTrue(three.containsAll(pool.downBackends()), "only current backends are down: " + pool.downBackends());
    }

    @Test
    void shouldSizeTheTableToTheBackendsWhenAskedAndPickAlikeWhateverTheOrder() throws Exception {
        BackendPool fixed = new BackendPool(set(1, 3), TABLE);
        assertEquals(TABLE, fixed.tableSize());
        BackendPool a = new BackendPool(set(1, 3), MaglevTable::ladderSize, false);
        assertEquals(1021, a.tableSize());
        List<ProxyBackend> thirty = set(1, 30);
        a.replace(thirty);
        assertEquals(4093, a.tableSize(), "30 backends: the smallest rung of at least 3000 slots");
        List<ProxyBackend> reversed = new ArrayList<>(thirty);
        Collections.reverse(reversed);
        BackendPool b = new BackendPool(reversed, MaglevTable::ladderSize, false);
        for (int port = 1024; port < 5024; port++) {
            InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), port);
            assertEquals(a.pick(client, 6), b.pick(client, 6), "client port " + port);
        }
        a.mark(thirty.get(0), false);
        assertEquals(4093, a.tableSize(), "a backend down is still counted");
    }
}
