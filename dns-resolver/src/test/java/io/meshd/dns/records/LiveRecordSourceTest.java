package io.meshd.dns.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.NameNode;
import io.meshd.dns.RecordView;
import io.meshd.dns.ResourceRecord;
import io.meshd.dns.internal.WireNames;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LiveRecordSourceTest {

    private static final int DEFAULT = MeshNetwork.DEFAULT_TTL;

    @Test
    void shouldServeWhatTheBatchAdded() {
        try (LiveRecordSource source = LiveRecordSource.builder().domain("mesh").build()) {
            LiveRecordSource.LiveView view = source.view(Set.of("front"));
            assertFalse(find(view, "web.front").exists());
            source.apply(LiveRecordSource.batch()
                .put("front", endpoint("web.1", "10.0.1.3", "web"))
                .put("front", new MeshService("web", ServiceMode.VIP, List.of(ip("10.0.1.2")), List.of(), DEFAULT)))
                .join();
            assertEquals(Set.of("10.0.1.2"), addresses(find(view, "web")));
            assertEquals(Set.of("10.0.1.3"), addresses(find(view, "tasks.web.front")));
            assertEquals(Set.of("10.0.1.3"), addresses(find(view, "web.1.front")));
            assertSame(NameNode.EMPTY_NON_TERMINAL, find(view, "front"));
            assertSame(NameNode.EMPTY_NON_TERMINAL, find(view, "1.0.10.in-addr.arpa"));
            assertEquals(1, find(view, "3.1.0.10.in-addr.arpa").count(ResourceRecord.TYPE_PTR));
        }
    }

    @Test
    void shouldRemoveEmptyNonTerminalsWithTheirLastChild() {
        try (LiveRecordSource source = LiveRecordSource.builder().build()) {
            LiveRecordSource.LiveView view = source.view(Set.of("n"));
            source.apply(LiveRecordSource.batch().put("n", endpoint("a", "10.0.0.1"))).join();
            source.apply(LiveRecordSource.batch().put("n", endpoint("b", "10.0.0.2"))).join();
            source.apply(LiveRecordSource.batch().removeEndpoint("n", "a")).join();
            assertSame(NameNode.EMPTY_NON_TERMINAL, find(view, "0.0.10.in-addr.arpa"));
            source.apply(LiveRecordSource.batch().removeEndpoint("n", "b")).join();
            assertEquals(0, view.size(), "no names left, not even empty non-terminals");
            assertSame(NameNode.ABSENT, find(view, "in-addr.arpa"));
        }
    }

    /**
     * A batch that moves ten tasks of one service to new addresses, raced by readers of the one name that shows
     * all of them: each lookup must see the ten old addresses or the ten new ones, never a mix (which is what a
     * batch published change by change would show).
     */
    @Test
    void shouldShowEachBatchWholeToConcurrentQueries() throws Exception {
        try (LiveRecordSource source = LiveRecordSource.builder().build()) {
            LiveRecordSource.LiveView view = source.view(Set.of("n"));
            source.apply(tasks(0).put("n", new MeshService("s", ServiceMode.DNSRR, List.of(), List.of(), DEFAULT)))
                .join();
            assertEquals(10, find(view, "tasks.s").size());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> wrong = new AtomicReference<>();
            AtomicLong lookups = new AtomicLong();
            byte[] name = WireNames.toWire("tasks.s");
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        Set<String> seen = addresses(view.find(name, name.length));
                        Set<String> generations = new HashSet<>();
                        for (String a : seen) {
                            generations.add(a.substring(0, a.lastIndexOf('.')));
                        }
                        if (seen.size() != 10 || generations.size() != 1) {
                            wrong.compareAndSet(null, seen.toString());
                        }
                        lookups.incrementAndGet();
                    }
                });
                t.start();
                readers.add(t);
            }
            for (int gen = 1; gen <= 300 && wrong.get() == null; gen++) {
                source.apply(tasks(gen % 200)).join();
            }
            long before = lookups.get();
            while (lookups.get() < before + 1000) {
                Thread.onSpinWait();
            }
            stop.set(true);
            for (Thread t : readers) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertEquals(null, wrong.get(), "a lookup saw part of a batch");
            assertEquals(301, source.batches());
        }
    }

    /**
     * What one query pins with {@code current()} keeps answering from the state it pinned, while the view itself
     * moves on: a response's answer and its additional data (SRV and NS targets' addresses) come from one state.
     */
    @Test
    void shouldKeepAPinnedStateWhileTheViewMovesOn() {
        try (LiveRecordSource source = LiveRecordSource.builder().updater(Runnable::run).build()) {
            LiveRecordSource.LiveView view = source.view(Set.of("n"));
            source.apply(tasks(0).put("n", new MeshService("s", ServiceMode.DNSRR, List.of(), List.of(), DEFAULT)))
                .join();
            RecordView pinned = view.current();
            assertSame(pinned, view.current(), "no new object per query while nothing changed");

            source.apply(tasks(1)).join();

            byte[] name = WireNames.toWire("t3");
            assertEquals(Set.of("10.0.0.4"), addresses(pinned.find(name, name.length)), "the pinned state");
            assertEquals(Set.of("10.0.1.4"), addresses(view.find(name, name.length)), "the view's new state");
            assertNotSame(pinned, view.current());
        }
    }

    /** Ten tasks t0..t9 of service s, all at 10.(gen / 100).(gen % 100).x: one batch of ten endpoint changes. */
    private static RecordBatch tasks(int gen) {
        RecordBatch b = LiveRecordSource.batch();
        for (int i = 0; i < 10; i++) {
            b.put("n", endpoint("t" + i, "10." + (gen / 100) + "." + (gen % 100) + "." + (i + 1), "s"));
        }
        return b;
    }

    /** A service with hundreds of tasks (several chunks of records), tasks removed and re-added at random. */
    @Test
    void shouldKeepALargeNameExact() {
        Random random = new Random(11);
        try (LiveRecordSource source = LiveRecordSource.builder().updater(Runnable::run).build()) {
            LiveRecordSource.LiveView view = source.view(Set.of("n"));
            RecordBatch first = LiveRecordSource.batch()
                .put("n", new MeshService("big", ServiceMode.DNSRR, List.of(), List.of(), DEFAULT));
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                first.put("n", endpoint("t" + i, "10.2." + (i / 250) + "." + (i % 250 + 1), "big"));
                expected.add("10.2." + (i / 250) + "." + (i % 250 + 1));
            }
            source.apply(first).join();
            for (int step = 0; step < 2000; step++) {
                int i = random.nextInt(500);
                String address = "10.2." + (i / 250) + "." + (i % 250 + 1);
                if (expected.remove(address)) {
                    source.apply(LiveRecordSource.batch().removeEndpoint("n", "t" + i)).join();
                } else {
                    source.apply(LiveRecordSource.batch().put("n", endpoint("t" + i, address, "big"))).join();
                    expected.add(address);
                }
                NameNode big = find(view, "big");
                assertEquals(expected.size(), big.size(), "step " + step);
                if (step % 100 == 0) {
                    assertEquals(expected, addresses(big), "step " + step);
                    assertEquals(expected, addresses(find(view, "tasks.big.n")), "step " + step);
                }
            }
        }
    }

    @Test
    void shouldChangeScopeWhileServing() {
        try (LiveRecordSource source = LiveRecordSource.builder().networks(twoNetworks()).build()) {
            LiveRecordSource.LiveView view = source.view(Set.of("a"));
            assertTrue(find(view, "x.a").exists());
            assertFalse(find(view, "y.b").exists());
            view.scope(Set.of("a", "b")).join();
            assertTrue(find(view, "y.b").exists());
            assertEquals(Set.of("10.0.0.1", "10.0.0.2"), addresses(find(view, "shared")));
            view.scope(Set.of("b")).join();
            assertFalse(find(view, "x.a").exists());
            assertFalse(find(view, "a").exists(), "the empty non-terminal of a went with it");
            assertEquals(Set.of("10.0.0.2"), addresses(find(view, "shared")));
            source.apply(LiveRecordSource.batch().put("b", endpoint("z", "10.0.0.3"))).join();
            assertTrue(find(view, "z.b").exists(), "batches reach the new scope");
            source.apply(LiveRecordSource.batch().put("a", endpoint("w", "10.0.0.4"))).join();
            assertFalse(find(view, "w.a").exists(), "and not the old one");
            assertEquals(Set.of("b"), view.scope());
            LiveRecordSource.LiveView other = source.view(Set.of("a"));
            assertEquals(2, source.scopeCount());
            view.scope(Set.of("a")).join();
            assertEquals(1, source.scopeCount(), "the scope left by its last view is dropped");
            assertTrue(find(view, "w.a").exists());
            other.close();
            view.close();
            assertEquals(0, source.scopeCount());
        }
    }

    @Test
    void shouldStopUpdatingAViewOnceUnregistered() {
        try (LiveRecordSource source = LiveRecordSource.builder().networks(twoNetworks()).build()) {
            LiveRecordSource.LiveView kept = source.view(Set.of("a"));
            LiveRecordSource.LiveView gone = source.view(Set.of("a"));
            assertEquals(2, source.viewCount());
            assertEquals(1, source.scopeCount(), "views of one scope share its names");
            gone.close();
            gone.close();
            assertEquals(1, source.viewCount());
            assertEquals(1, source.scopeCount());
            source.apply(LiveRecordSource.batch().put("a", endpoint("w", "10.0.0.4"))).join();
            assertTrue(find(kept, "w.a").exists());
            assertFalse(find(gone, "w.a").exists());
        }
    }

    @Test
    void shouldReplaceByDifferences() {
        try (LiveRecordSource source = LiveRecordSource.builder().networks(twoNetworks()).build()) {
            LiveRecordSource.LiveView view = source.view(Set.of("a", "b"));
            List<MeshNetwork> next = List.of(new MeshNetwork("b",
                List.of(new MeshEndpoint("y", List.of("shared"), List.of(ip("10.0.0.9")), List.of(), DEFAULT)),
                List.of()));
            source.replace(next).join();
            assertFalse(find(view, "x.a").exists());
            assertEquals(Set.of("10.0.0.9"), addresses(find(view, "shared")));
            assertEquals(next, source.networks());
        }
    }

    /**
     * Seeded random batches over a small universe of names, each followed by a check that every possible name
     * of every view answers exactly what a full rebuild ({@link InMemoryRecordSource}) of the same networks
     * answers: same existence, same empty non-terminals, same records.
     */
    @Test
    void shouldMatchAFullRebuildAfterEveryBatch() {
        long seed = Long.getLong("live.seed", 20261207L);
        Random random = new Random(seed);
        List<String> universe = universe();
        try (LiveRecordSource source = LiveRecordSource.builder().domain("mesh").ttl(300).build()) {
            List<Set<String>> scopes = List.of(Set.of("n0"), Set.of("n0", "n1"), Set.of("n1", "n2"));
            List<LiveRecordSource.LiveView> views = new ArrayList<>();
            for (Set<String> s : scopes) {
                views.add(source.view(s));
            }
            for (int round = 0; round < 300; round++) {
                RecordBatch b = LiveRecordSource.batch();
                int ops = 1 + random.nextInt(6);
                for (int i = 0; i < ops; i++) {
                    randomOp(random, b);
                }
                source.apply(b).join();
                InMemoryRecordSource rebuilt = InMemoryRecordSource.builder().domain("mesh").ttl(300)
                    .networks(source.networks()).build();
                for (int v = 0; v < views.size(); v++) {
                    RecordView expected = rebuilt.view(scopes.get(v));
                    for (String name : universe) {
                        String where = "seed " + seed + " round " + round + " scope " + scopes.get(v) + " name "
                            + name;
                        NameNode want = find(expected, name);
                        NameNode got = find(views.get(v), name);
                        assertEquals(want.exists(), got.exists(), where);
                        assertEquals(want == NameNode.EMPTY_NON_TERMINAL, got == NameNode.EMPTY_NON_TERMINAL, where);
                        assertEquals(describe(want), describe(got), where);
                    }
                }
            }
        }
    }

    private static void randomOp(Random r, RecordBatch b) {
        String network = "n" + r.nextInt(3);
        switch (r.nextInt(6)) {
            case 0, 1 -> {
                List<String> aliases = r.nextBoolean() ? List.of() : List.of("x" + r.nextInt(2));
                List<InetAddress> addresses = new ArrayList<>();
                addresses.add(ip("10.0.0." + (1 + r.nextInt(12))));
                if (r.nextInt(4) == 0) {
                    addresses.add(ip("fd00::" + (1 + r.nextInt(3))));
                }
                List<String> services = r.nextBoolean() ? List.of() : List.of("s" + r.nextInt(2));
                b.put(network, new MeshEndpoint("e" + r.nextInt(8), aliases, addresses, services,
                    r.nextBoolean() ? DEFAULT : 30));
            }
            case 2 -> b.removeEndpoint(network, "e" + r.nextInt(8));
            case 3 -> {
                boolean vip = r.nextBoolean();
                b.put(network, new MeshService("s" + r.nextInt(2), vip ? ServiceMode.VIP : ServiceMode.DNSRR,
                    vip ? List.of(ip("10.1.0." + (1 + r.nextInt(3)))) : List.of(),
                    r.nextBoolean() ? List.of(new PublishedPort("http", 80, "tcp")) : List.of(),
                    r.nextBoolean() ? DEFAULT : 60));
            }
            case 4 -> b.removeService(network, "s" + r.nextInt(2));
            default -> {
                if (r.nextInt(5) == 0) {
                    b.removeNetwork(network);
                } else {
                    b.network(network);
                }
            }
        }
    }

    /** Every name the random batches can make, and every ancestor of each. */
    private static List<String> universe() {
        Set<String> base = new LinkedHashSet<>();
        List<String> labels = new ArrayList<>(List.of("x0", "x1", "s0", "s1", "tasks.s0", "tasks.s1",
            "_80._tcp.s0", "_http._tcp.s0", "_80._tcp.s1", "_http._tcp.s1", "nope"));
        for (int i = 0; i < 8; i++) {
            labels.add("e" + i);
        }
        for (String l : labels) {
            base.add(l);
            for (int n = 0; n < 3; n++) {
                base.add(l + ".n" + n);
            }
        }
        for (int i = 1; i <= 12; i++) {
            base.add(WireNames.reverseName(ip("10.0.0." + i)));
        }
        for (int i = 1; i <= 3; i++) {
            base.add(WireNames.reverseName(ip("10.1.0." + i)));
            base.add(WireNames.reverseName(ip("fd00::" + i)));
        }
        Set<String> all = new TreeSet<>();
        for (String name : base) {
            String n = name;
            while (true) {
                all.add(n);
                int dot = n.indexOf('.');
                if (dot < 0) {
                    break;
                }
                n = n.substring(dot + 1);
            }
        }
        return new ArrayList<>(all);
    }

    private static Set<String> describe(NameNode node) {
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < node.size(); i++) {
            ResourceRecord r = node.record(i);
            out.add(r.type() + "/" + r.ttl() + "/" + Arrays.toString(r.rdataHead()) + "/" + r
                + "/" + Arrays.toString(r.rdataTail()));
        }
        return out;
    }

    private static List<MeshNetwork> twoNetworks() {
        return List.of(
            new MeshNetwork("a", List.of(new MeshEndpoint("x", List.of("shared"), List.of(ip("10.0.0.1")),
                List.of(), DEFAULT)), List.of()),
            new MeshNetwork("b", List.of(new MeshEndpoint("y", List.of("shared"), List.of(ip("10.0.0.2")),
                List.of(), DEFAULT)), List.of()));
    }

    static MeshEndpoint endpoint(String name, String address, String... services) {
        return new MeshEndpoint(name, List.of(), List.of(ip(address)), List.of(services), DEFAULT);
    }

    static NameNode find(RecordView view, String dotted) {
        byte[] wire = WireNames.toWire(dotted);
        return view.find(wire, wire.length);
    }

    static Set<String> addresses(NameNode node) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            ResourceRecord r = node.record(i);
            if (r.type() == ResourceRecord.TYPE_A || r.type() == ResourceRecord.TYPE_AAAA) {
                try {
                    out.add(InetAddress.getByAddress(r.rdataHead()).getHostAddress());
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
