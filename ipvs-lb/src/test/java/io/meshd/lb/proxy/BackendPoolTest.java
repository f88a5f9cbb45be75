package io.meshd.lb.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
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
}
