package io.meshd.vxlan.fabric;

import io.meshd.net.metrics.EnumCounters;
import io.meshd.packet.testing.SeededProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random sequences of control-plane writes, learning, clock moves and sweeps, checked after every step against a
 * plain map model: static entries are never changed by learning and never age; a learned entry lives exactly as
 * long as its address keeps appearing within the aging time; a sweep removes exactly the expired learned entries.
 * Each trial draws up to 80 operations from a seeded generator (a failure names the seed that replays it, see
 * {@link SeededProperty}); the mutant tests run the same trials against broken tables and show each one caught.
 */
class ForwardingTablePropertiesTest {
    private static final long AGING_NANOS = Duration.ofSeconds(60).toNanos();
    private static final long REFRESH_NANOS = 1_000_000_000L;
    private static final int MACS = 6;
    private static final RemoteVtep[] VTEPS = {RemoteVtep.of(1), RemoteVtep.of(2), RemoteVtep.of(3)};

    private static final long SEED = 0xFDB0_0001L;
    private static final int TRIES = 500;

    /** The table's operations the property uses, so that a broken table can be put in the real one's place. */
    interface Table {
        void learnRemote(int vni, long mac, RemoteVtep vtep);

        void putRemote(int vni, long mac, RemoteVtep vtep);

        int expire();

        void remove(int vni, long mac);

        FdbEntry lookup(int vni, long mac);
    }

    /** The real table behind {@link Table}. */
    static class Real implements Table {
        final ForwardingTable table;

        Real(MutableClock clock) {
            table = new ForwardingTable(clock, AGING_NANOS, 1000,
                new EnumCounters<>(TrafficCounter.class, "test_total", "test", "event"));
        }

        @Override
        public void learnRemote(int vni, long mac, RemoteVtep vtep) {
            table.learnRemote(vni, mac, vtep);
        }

        @Override
        public void putRemote(int vni, long mac, RemoteVtep vtep) {
            table.putRemote(vni, mac, vtep);
        }

        @Override
        public int expire() {
            return table.expire();
        }

        @Override
        public void remove(int vni, long mac) {
            table.remove(vni, mac);
        }

        @Override
        public FdbEntry lookup(int vni, long mac) {
            return table.lookup(vni, mac);
        }
    }

    @Test
    void learningAndAgingFollowTheModel() {
        SeededProperty.forAll("learning and aging follow the model", SEED, TRIES,
            random -> followsTheModel(Real::new, random));
    }

    @Test
    void shouldCatchATableThatForgetsAStaticEntry() {
        assertCaught(clock -> new Real(clock) {
            @Override
            public void putRemote(int vni, long mac, RemoteVtep vtep) {
                if (mac != 3) {
                    super.putRemote(vni, mac, vtep);
                }
            }
        });
    }

    @Test
    void shouldCatchATableThatLetsLearningOverwriteAStaticEntry() {
        assertCaught(clock -> new Real(clock) {
            @Override
            public void learnRemote(int vni, long mac, RemoteVtep vtep) {
                table.remove(vni, mac);
                super.learnRemote(vni, mac, vtep);
            }
        });
    }

    @Test
    void shouldCatchASweepThatMissesExpiredEntries() {
        assertCaught(clock -> new Real(clock) {
            @Override
            public int expire() {
                return 0;
            }
        });
    }

    @Test
    void shouldCatchARemoveThatDoesNothing() {
        assertCaught(clock -> new Real(clock) {
            @Override
            public void remove(int vni, long mac) {
            }
        });
    }

    private static void assertCaught(Function<MutableClock, Table> mutant) {
        assertTrue(SeededProperty.firstFailure(SEED, TRIES, random -> followsTheModel(mutant, random)).isPresent(),
            "the property misses the mutant");
    }

    static void followsTheModel(Function<MutableClock, Table> tables, SplittableRandom random) {
        MutableClock clock = new MutableClock();
        Table table = tables.apply(clock);
        Map<Long, Model> model = new HashMap<>();
        int count = random.nextInt(81);
        for (int i = 0; i < count; i++) {
            int op = random.nextInt(1_000_001);
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

    private static void checkAgainstModel(Table table, Map<Long, Model> model, long now) {
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
