package io.meshd.vxlan.fabric;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random sequences of control-plane writes, learning, clock moves and sweeps, checked after every step against a
 * plain map model: static entries are never changed by learning and never age; a learned entry lives exactly as
 * long as its address keeps appearing within the aging time; a sweep removes exactly the expired learned entries.
 */
class ForwardingTablePropertiesTest {
    private static final long AGING_NANOS = Duration.ofSeconds(60).toNanos();
    private static final long REFRESH_NANOS = 1_000_000_000L;
    private static final int MACS = 6;
    private static final RemoteVtep[] VTEPS = {RemoteVtep.of(1), RemoteVtep.of(2), RemoteVtep.of(3)};

    @Property(tries = 500)
    void learningAndAgingFollowTheModel(@ForAll @Size(max = 80) List<@IntRange(max = 1_000_000) Integer> ops) {
        MutableClock clock = new MutableClock();
        ForwardingTable table = new ForwardingTable(clock, AGING_NANOS, 1000,
            new io.meshd.net.metrics.EnumCounters<>(TrafficCounter.class, "test_total", "test", "event"));
        Map<Long, Model> model = new HashMap<>();
        for (int op : ops) {
            long mac = 1 + op % MACS;
            RemoteVtep vtep = VTEPS[op / MACS % VTEPS.length];
            long now = clock.nanoTime();
            switch (op % 5) {
                case 0 -> {
                    table.learnRemote(7, mac, vtep);
                    Model current = model.get(mac);
                    if (current == null || current.learned && (!current.vtep.equals(vtep) || expired(current, now))) {
                        model.put(mac, new Model(vtep, true, now));
                    } else if (current.learned && now - current.lastSeen >= REFRESH_NANOS) {
                        current.lastSeen = now;
                    }
                }
                case 1 -> {
                    table.putRemote(7, mac, vtep);
                    model.put(mac, new Model(vtep, false, now));
                }
                case 2 -> clock.advance(Duration.ofSeconds(op / 30 % 50));
                case 3 -> {
                    int removed = table.expire();
                    int expected = (int) model.values().stream().filter(m -> expired(m, now)).count();
                    model.values().removeIf(m -> expired(m, now));
                    assertEquals(expected, removed);
                }
                default -> {
                    if (op % 20 == 4) {
                        table.remove(7, mac);
                        model.remove(mac);
                    }
                }
            }
            checkAgainstModel(table, model, clock.nanoTime());
        }
    }

    private static void checkAgainstModel(ForwardingTable table, Map<Long, Model> model, long now) {
        for (long mac = 1; mac <= MACS; mac++) {
            Model expected = model.get(mac);
            FdbEntry entry = table.lookup(7, mac);
            if (expected == null || expired(expected, now)) {
                assertEquals(FdbEntry.MISS, entry, "mac " + mac);
            } else {
                assertEquals(expected.vtep, entry.remoteVtep().orElseThrow(), "mac " + mac);
                assertEquals(expected.learned, entry.isLearned(), "mac " + mac);
                assertEquals(expected.lastSeen, entry.lastSeenNanos(), "mac " + mac);
            }
            assertEquals(FdbEntry.MISS, table.lookup(8, mac), "other VNIs stay empty");
        }
    }

    private static boolean expired(Model model, long now) {
        return model.learned && now - model.lastSeen > AGING_NANOS;
    }

    /** What the table should hold for one MAC. */
    private static final class Model {
        final RemoteVtep vtep;
        final boolean learned;
        long lastSeen;

        Model(RemoteVtep vtep, boolean learned, long lastSeen) {
            this.vtep = vtep;
            this.learned = learned;
            this.lastSeen = lastSeen;
        }
    }
}
