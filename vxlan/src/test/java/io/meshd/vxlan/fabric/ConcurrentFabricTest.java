package io.meshd.vxlan.fabric;

import io.meshd.vxlan.codec.DropReason;
import io.meshd.packet.EthernetView;
import io.meshd.packet.MacAddress;
import io.meshd.packet.testing.TestFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lookups and the data path racing control-plane writes: readers must only ever see a key's own value or a miss,
 * never a torn or foreign entry, never an exception, and every frame must be accounted for exactly once.
 */
class ConcurrentFabricTest {
    private static final int READERS = 3;
    private static final int KEYS = 2000;

    private static RemoteVtep vtepFor(long mac) {
        return RemoteVtep.of((int) mac, 4789);
    }

    @Test
    void shouldNeverReturnAForeignEntryWhileTheTableIsRewritten() throws Exception {
        ForwardingTable table = SwitchFabric.builder().build().forwardingTable();
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong hits = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int seed = r;
            readers.add(start(failures, () -> {
                long mac = seed;
                while (running.get()) {
                    mac = (mac * 31 + 7) % KEYS + 1;
                    FdbEntry entry = table.lookup(1, mac);
                    if (entry != FdbEntry.MISS) {
                        if (entry.mac() != mac || !vtepFor(mac).equals(entry.remote) || entry.vni() != 1) {
                            throw new AssertionError("foreign entry for " + mac + ": " + entry);
                        }
                        hits.incrementAndGet();
                    }
                }
            }));
        }
        Thread learner = start(failures, () -> {
            for (int round = 0; round < 20; round++) {
                for (long mac = 1; mac <= KEYS; mac += 2) {
                    table.learnRemote(1, mac, vtepFor(mac));
                }
            }
        });
        for (int round = 0; round < 20; round++) {
            for (long mac = 2; mac <= KEYS; mac += 2) {
                table.putRemote(1, mac, vtepFor(mac));
            }
            for (long mac = 2; mac <= KEYS; mac += 4) {
                table.remove(1, mac);
            }
            table.removeNetwork(1);
        }
        for (long mac = 2; mac <= KEYS; mac += 2) {
            table.putRemote(1, mac, vtepFor(mac));
        }
        learner.join();
        running.set(false);
        for (Thread reader : readers) {
            reader.join();
        }

        assertTrue(failures.isEmpty(), failures.toString());
        assertTrue(hits.get() > 0, "readers saw entries");
        for (long mac = 2; mac <= KEYS; mac += 2) {
            assertEquals(vtepFor(mac), table.lookup(1, mac).remote, "every entry written last is there");
        }
    }

    @Test
    void shouldAccountForEveryFrameWhileRoutesAndPortsChange() throws Exception {
        AtomicLong sent = new AtomicLong();
        SwitchFabric fabric = SwitchFabric.builder().flooding(false).learning(false)
            .uplink((vni, to, frame, offset, length) -> sent.incrementAndGet()).build();
        fabric.addNetwork(1);
        long remoteMac = MacAddress.parse("02:00:00:00:00:63");
        CountingPort[] senders = new CountingPort[READERS];
        for (int i = 0; i < READERS; i++) {
            senders[i] = CountingPort.shared(i + 1);
            fabric.attach(1, senders[i], MacAddress.fromIpv4(i + 1));
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(READERS);
        long[] frames = new long[READERS];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            int index = i;
            UnsafeBuffer frame = TestFrames.ethernet(remoteMac, MacAddress.fromIpv4(i + 1), EthernetView.TYPE_IPV4, 64);
            threads.add(start(failures, () -> {
                started.countDown();
                while (running.get()) {
                    fabric.fromLocal(senders[index], frame, 0, frame.capacity());
                    frames[index]++;
                }
            }));
        }
        started.await();
        CountingPort churn = CountingPort.shared(100);
        for (int round = 0; round < 3000; round++) {
            fabric.forwardingTable().putRemote(1, remoteMac, RemoteVtep.of(round % 7 + 1));
            fabric.attach(1, churn, MacAddress.parse("02:00:00:00:01:00"));
            fabric.forwardingTable().remove(1, remoteMac);
            fabric.detach(churn);
        }
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }

        assertTrue(failures.isEmpty(), failures.toString());
        long total = frames[0] + frames[1] + frames[2];
        long noRoute = fabric.counters().get(DropReason.NO_ROUTE);
        long floods = fabric.traffic().get(TrafficCounter.FLOODS);
        assertEquals(total, sent.get() + floods + noRoute, "each frame sent to the VTEP, flooded locally or dropped");
        assertEquals(sent.get(), fabric.traffic().get(TrafficCounter.UPLINK_SENDS));
        long copies = churn.count() + senders[0].count() + senders[1].count() + senders[2].count();
        assertEquals(copies, fabric.traffic().get(TrafficCounter.LOCAL_DELIVERIES));
        assertTrue(floods > 0 && sent.get() > 0, "both routes were taken: " + floods + " floods, " + sent + " sent");
        assertEquals(total, fabric.traffic().get(TrafficCounter.FROM_LOCAL));
        assertEquals(noRoute, fabric.counters().total(), "no other drop reason");
    }

    private static Thread start(ConcurrentLinkedQueue<Throwable> failures, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        thread.start();
        return thread;
    }
}
