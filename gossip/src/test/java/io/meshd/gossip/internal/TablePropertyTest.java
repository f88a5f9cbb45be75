package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.Seeds;
import io.meshd.gossip.internal.Message.TableUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replicated tables over random version histories, one seeded history per case. The expected table is stated from
 * the documented rule (docs/gossip.md: the highest Lamport clock wins, equal clocks are ordered by owner name), not
 * by calling the store's own comparison; histories give each (key, clock, owner) one version so that rule alone
 * decides. The mutant tests show each check fails against a broken replica.
 */
class TablePropertyTest {

    private static final String[] KEYS = {"k1", "k2", "k3"};
    private static final String[] OWNERS = {"a", "b", "c"};

    /** What a check needs of a replica: the real {@link TableStore} or a broken variant. */
    interface Replica {
        void apply(TableUpdate u);

        Map<String, byte[]> entries();

        void ownerChanged(String owner, boolean live);
    }

    static Replica real(Predicate<String> ownerLive) {
        TableStore s = new TableStore("me", ownerLive, e -> { });
        return new Replica() {
            @Override
            public void apply(TableUpdate u) {
                s.apply(u, 0);
            }

            @Override
            public Map<String, byte[]> entries() {
                return s.entries("t");
            }

            @Override
            public void ownerChanged(String owner, boolean live) {
                s.ownerChanged(owner, live);
            }
        };
    }

    /** Up to 30 versions, each (key, clock, owner) at most once. */
    static List<TableUpdate> versions(SplittableRandom r) {
        List<TableUpdate> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        int n = r.nextInt(31);
        for (int i = 0; i < n; i++) {
            String key = KEYS[r.nextInt(KEYS.length)];
            String owner = OWNERS[r.nextInt(OWNERS.length)];
            long clock = 1 + r.nextInt(20);
            if (used.add(key + "/" + owner + "/" + clock)) {
                boolean deleted = r.nextBoolean();
                byte[] value = deleted ? new byte[0] : new byte[] {(byte) r.nextInt(256), (byte) i};
                // Mostly node-scoped; some cluster-scoped versions, mixed within a key as a member with another
                // declaration of the table would write them.
                boolean cluster = r.nextInt(3) == 0;
                out.add(new TableUpdate("t", key, owner, clock, deleted, cluster, value));
            }
        }
        return out;
    }

    /** The documented winner of each key: highest clock, then highest owner name. */
    static Map<String, TableUpdate> winners(List<TableUpdate> vs) {
        Map<String, TableUpdate> best = new HashMap<>();
        for (TableUpdate u : vs) {
            best.merge(u.key(), u, (a, b) -> b.clock() > a.clock()
                || (b.clock() == a.clock() && b.owner().compareTo(a.owner()) > 0) ? b : a);
        }
        return best;
    }

    private static Replica replay(Function<Predicate<String>, Replica> make, List<TableUpdate> order) {
        Replica s = make.apply(o -> true);
        order.forEach(s::apply);
        return s;
    }

    private static Optional<String> differ(Map<String, byte[]> want, Map<String, byte[]> got) {
        if (!want.keySet().equals(got.keySet())) {
            return Optional.of("keys " + got.keySet() + ", want " + want.keySet());
        }
        for (String k : want.keySet()) {
            if (!Arrays.equals(want.get(k), got.get(k))) {
                return Optional.of(k + " = " + Arrays.toString(got.get(k)) + ", want " + Arrays.toString(want.get(k)));
            }
        }
        return Optional.empty();
    }

    private static Map<String, byte[]> visible(Map<String, TableUpdate> winners, Predicate<String> ownerLive) {
        Map<String, byte[]> out = new HashMap<>();
        winners.forEach((k, u) -> {
            if (!u.deleted() && (u.cluster() || ownerLive.test(u.owner()))) {
                out.put(k, u.value());
            }
        });
        return out;
    }

    static Optional<String> theDocumentedWinnerIsVisible(Function<Predicate<String>, Replica> make, long seed) {
        List<TableUpdate> vs = versions(new SplittableRandom(seed));
        return differ(visible(winners(vs), o -> true), replay(make, vs).entries());
    }

    static Optional<String> anyOrderAndDuplicatesConverge(Function<Predicate<String>, Replica> make, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TableUpdate> vs = versions(r);
        List<TableUpdate> shuffled = new ArrayList<>(vs);
        Collections.shuffle(shuffled, new java.util.Random(r.nextLong()));
        List<TableUpdate> duplicated = new ArrayList<>(vs);
        duplicated.addAll(shuffled);
        Map<String, byte[]> inOrder = replay(make, vs).entries();
        return differ(inOrder, replay(make, shuffled).entries())
            .or(() -> differ(inOrder, replay(make, duplicated).entries()));
    }

    static Optional<String> hidingAndRestoringKeepsEveryEntry(Function<Predicate<String>, Replica> make, long seed) {
        List<TableUpdate> vs = versions(new SplittableRandom(seed));
        Set<String> down = new HashSet<>();
        Replica s = make.apply(o -> !down.contains(o));
        vs.forEach(s::apply);
        Map<String, TableUpdate> winners = winners(vs);
        Map<String, byte[]> before = s.entries();
        down.add("a");
        s.ownerChanged("a", false);
        Optional<String> hidden = differ(visible(winners, o -> !o.equals("a")), s.entries());
        if (hidden.isPresent()) {
            return Optional.of("with a down: " + hidden.get());
        }
        down.remove("a");
        s.ownerChanged("a", true);
        return differ(before, s.entries()).map(d -> "after a returned: " + d);
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void theHighestClockThenOwnerWinsEveryKey(long seed) {
        assertEquals(Optional.empty(), theDocumentedWinnerIsVisible(TablePropertyTest::real, seed),
            Seeds.replay(seed));
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void anyDeliveryOrderWithDuplicatesConvergesToTheSameTable(long seed) {
        assertEquals(Optional.empty(), anyOrderAndDuplicatesConverge(TablePropertyTest::real, seed),
            Seeds.replay(seed));
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void anOwnersDeathHidesExactlyItsEntriesAndItsReturnRestoresThem(long seed) {
        assertEquals(Optional.empty(), hidingAndRestoringKeepsEveryEntry(TablePropertyTest::real, seed),
            Seeds.replay(seed));
    }

    @Test
    void shouldBreakTiesOnClockAndOwnerTombstoneFirstThenByValue() {
        TableStore s = new TableStore("me", o -> true, e -> { });
        s.apply(new TableUpdate("t", "k", "a", 5, false, new byte[] {1}), 0);
        s.apply(new TableUpdate("t", "k", "a", 5, false, new byte[] {2}), 0);
        assertArrayEquals(new byte[] {2}, s.get("t", "k").orElseThrow(), "the larger value bytes win a full tie");
        s.apply(new TableUpdate("t", "k", "a", 5, true, new byte[0]), 0);
        assertEquals(Optional.empty(), s.get("t", "k"), "a tombstone wins over a value at the same clock and owner");
    }

    // ---- each check fails against a broken replica ----

    /** Last arrival wins, whatever its clock. */
    private static Replica lastArrivalWins(Predicate<String> ownerLive) {
        Map<String, TableUpdate> latest = new HashMap<>();
        return new Replica() {
            @Override
            public void apply(TableUpdate u) {
                latest.put(u.key(), u);
            }

            @Override
            public Map<String, byte[]> entries() {
                return visible(latest, ownerLive);
            }

            @Override
            public void ownerChanged(String owner, boolean live) {
            }
        };
    }

    /** Deletes a dead owner's entries instead of hiding them. */
    private static Replica deletesOnDeath(Predicate<String> ownerLive) {
        Replica real = real(o -> true);
        Set<String> gone = new HashSet<>();
        return new Replica() {
            @Override
            public void apply(TableUpdate u) {
                real.apply(u);
            }

            @Override
            public Map<String, byte[]> entries() {
                Map<String, byte[]> out = new HashMap<>(real.entries());
                out.keySet().removeAll(gone);
                return out;
            }

            @Override
            public void ownerChanged(String owner, boolean live) {
                if (!live) {
                    // forgets every key it held, for good
                    real.entries().forEach((k, v) -> gone.add(k));
                }
            }
        };
    }

    /** Treats every version as node-scoped: hides cluster-scoped entries with their writer. */
    private static Replica ignoresScope(Predicate<String> ownerLive) {
        TableStore s = new TableStore("me", ownerLive, e -> { });
        return new Replica() {
            @Override
            public void apply(TableUpdate u) {
                s.apply(new TableUpdate(u.table(), u.key(), u.owner(), u.clock(), u.deleted(), false, u.value()), 0);
            }

            @Override
            public Map<String, byte[]> entries() {
                return s.entries("t");
            }

            @Override
            public void ownerChanged(String owner, boolean live) {
                s.ownerChanged(owner, live);
            }
        };
    }

    private static boolean catches(java.util.function.BiFunction<Function<Predicate<String>, Replica>, Long,
        Optional<String>> check, Function<Predicate<String>, Replica> broken) {
        return Seeds.seeds().anyMatch(seed -> check.apply(broken, seed).isPresent());
    }

    @Test
    void shouldCatchAReplicaWhereTheLastArrivalWins() {
        assertTrue(catches(TablePropertyTest::theDocumentedWinnerIsVisible, TablePropertyTest::lastArrivalWins));
        assertTrue(catches(TablePropertyTest::anyOrderAndDuplicatesConverge, TablePropertyTest::lastArrivalWins));
    }

    @Test
    void shouldCatchAReplicaThatDeletesInsteadOfHiding() {
        assertTrue(catches(TablePropertyTest::hidingAndRestoringKeepsEveryEntry, TablePropertyTest::deletesOnDeath));
    }

    @Test
    void shouldCatchAReplicaThatHidesClusterScopedEntriesWithTheirWriter() {
        assertTrue(catches(TablePropertyTest::hidingAndRestoringKeepsEveryEntry, TablePropertyTest::ignoresScope));
    }
}
