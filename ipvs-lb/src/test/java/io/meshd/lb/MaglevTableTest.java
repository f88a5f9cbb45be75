package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MaglevTableTest {
    private static final int M = MaglevTable.DEFAULT_SIZE;

    private static List<Backend> backends(int n) {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Backend.of("10.0." + (i / 250) + "." + (i % 250 + 1) + ":80"));
        }
        return list;
    }

    private static int[] table(MaglevTable t) {
        int[] ids = new int[t.size()];
        for (int s = 0; s < ids.length; s++) {
            ids[s] = t.slot(s);
        }
        return ids;
    }

    /** The id each slot names, so tables over different backend lists compare by identity, not index. */
    private static String[] owners(MaglevTable t) {
        String[] owners = new String[t.size()];
        for (int s = 0; s < owners.length; s++) {
            owners[s] = t.slot(s) == MaglevTable.NO_BACKEND ? "" : t.backends().get(t.slot(s)).id();
        }
        return owners;
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 42L, 20261203L})
    void shouldBuildTheIdenticalTableWhateverOrderTheBackendsArrive(long seed) {
        List<Backend> list = backends(50);
        list.set(7, new Backend(list.get(7).id(), 3));
        int[] reference = table(MaglevTable.build(list, M));
        Random random = new Random(seed);
        for (int round = 0; round < 5; round++) {
            Collections.shuffle(list, random);
            assertArrayEquals(reference, table(MaglevTable.build(list, M)), "seed " + seed + " round " + round);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100, 1000})
    void shouldGiveEveryEqualBackendTheFloorOrCeilingOfItsShare(int n) {
        int[] counts = MaglevTable.build(backends(n), M).slotCounts();
        int floor = M / n;
        int total = 0;
        for (int c : counts) {
            assertTrue(c == floor || c == floor + 1, "a backend holds " + c + " slots; expected " + floor + " or +1");
            total += c;
        }
        assertEquals(M, total, "every slot is taken");
    }

    /**
     * Removing one of N moves its own 1/N of slots plus a little more; the bound is the paper's simulation
     * (1.59% at N = 100, 0.70% at N = 1000, M = 65537) with a small margin, and never below the optimum.
     */
    @ParameterizedTest
    @CsvSource({"100, 0.0175", "1000, 0.0080"})
    void shouldMoveLittleMoreThanTheRemovedBackendsShareWhenOneOfNLeaves(int n, double bound) {
        List<Backend> list = backends(n);
        String[] before = owners(MaglevTable.build(list, M));
        double worst = 0;
        for (int removed : new int[] {0, n / 2, n - 1}) {
            List<Backend> fewer = new ArrayList<>(list);
            fewer.remove(removed);
            String[] after = owners(MaglevTable.build(fewer, M));
            int moved = 0;
            for (int s = 0; s < M; s++) {
                moved += before[s].equals(after[s]) ? 0 : 1;
            }
            double share = (double) moved / M;
            assertTrue(share >= 1.0 / n - 1.0 / M, "at least the removed backend's slots move: " + share);
            worst = Math.max(worst, share);
        }
        assertTrue(worst <= bound, "moved " + worst + " of slots at N = " + n + ", bound " + bound);
    }

    @Test
    void shouldGiveSlotsInProportionToWeight() {
        MaglevTable table = MaglevTable.build(List.of(new Backend("a", 1), new Backend("b", 2)), M);

        assertArrayEquals(new int[] {21_846, 43_691}, table.slotCounts());
    }

    @Test
    void shouldGiveADrainingBackendNoSlots() {
        MaglevTable table = MaglevTable.build(List.of(new Backend("a", 0), Backend.of("b"), Backend.of("c")), M);

        assertEquals(0, table.slotCounts()[0], "weight 0 takes no new flows");
        assertEquals(M, table.slotCounts()[1] + table.slotCounts()[2]);
    }

    @Test
    void shouldAnswerNoBackendWhenNoneTakesNewFlows() {
        MaglevTable drained = MaglevTable.build(List.of(new Backend("a", 0)), M);
        MaglevTable empty = MaglevTable.build(List.of(), M);

        assertEquals(MaglevTable.NO_BACKEND, drained.lookup(12345L));
        assertEquals(MaglevTable.NO_BACKEND, empty.lookup(-1L));
    }

    @Test
    void shouldSpreadFlowHashesOverEverySlotRange() {
        MaglevTable table = MaglevTable.build(backends(3), M);
        int[] hits = new int[3];
        Random random = new Random(7);
        for (int i = 0; i < 300_000; i++) {
            hits[table.lookup(random.nextLong())]++;
        }
        for (int h : hits) {
            assertTrue(Math.abs(h - 100_000) < 3_000, "each of 3 backends gets about a third: " + h);
        }
    }

    @Test
    void shouldRefuseABadSizeOrTwoBackendsWithOneIdentity() {
        assertThrows(IllegalArgumentException.class, () -> MaglevTable.build(backends(2), 65_536));
        assertThrows(IllegalArgumentException.class, () -> MaglevTable.build(backends(20), 17));
        assertThrows(IllegalArgumentException.class, () -> MaglevTable.build(backends(2), MaglevTable.MAX_SIZE + 2));
        assertThrows(IllegalArgumentException.class,
            () -> MaglevTable.build(List.of(Backend.of("a"), new Backend("a", 2)), M));
        assertThrows(IllegalArgumentException.class, () -> new Backend("", 1));
        assertThrows(IllegalArgumentException.class, () -> new Backend("a", -1));
    }

    @Test
    void shouldRecommendAPrimeWithAHundredSlotsPerBackend() {
        assertEquals(M, MaglevTable.recommendedSize(10));
        int size = MaglevTable.recommendedSize(1000);
        assertTrue(size >= 100_000, "at least 100 per backend: " + size);
        MaglevTable.build(backends(1000), size);
        assertEquals(MaglevTable.MAX_SIZE, MaglevTable.recommendedSize(1_000_000));
    }

    @ParameterizedTest
    @CsvSource({"0, 1021", "1, 1021", "10, 1021", "11, 2039", "20, 2039", "21, 4093", "40, 4093", "41, 8191",
        "81, 8191", "82, 16381", "163, 16381", "164, 32749", "327, 32749", "328, 65537", "655, 65537",
        "656, 65537", "100000, 65537"})
    void shouldSizeFromTheLadderTheSmallestPrimeWithAHundredSlotsPerBackend(int backends, int size) {
        assertEquals(size, MaglevTable.ladderSize(backends));
        assertTrue(BigInteger.valueOf(size).isProbablePrime(64), size + " is prime");
        assertTrue(size > backends || backends > 655, "more slots than backends");
        MaglevTable t = MaglevTable.build(backends(Math.min(backends, 1000)), size);
        assertEquals(size, t.size());
    }

    @Test
    void shouldRefuseANegativeBackendCountForTheLadder() {
        assertThrows(IllegalArgumentException.class, () -> MaglevTable.ladderSize(-1));
    }

    /** 65,534 backends: the most in char slots (index + 1 = 65,534); 65,535: int slots. Both hand out every index. */
    @ParameterizedTest
    @ValueSource(ints = {65_534, 65_535})
    void shouldNameEveryBackendAtTheEdgeBetweenCharAndIntSlots(int n) {
        List<Backend> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new Backend(Integer.toString(i), 1));
        }
        MaglevTable t = MaglevTable.build(list, 131_071);
        int[] counts = t.slotCounts();
        for (int i = 0; i < n; i++) {
            assertTrue(counts[i] == 131_071 / n || counts[i] == 131_071 / n + 1, "backend " + i + ": " + counts[i]);
        }
        boolean[] seen = new boolean[n];
        Random random = new Random(5);
        for (int i = 0; i < 2_000_000; i++) {
            int b = t.lookup(random.nextLong());
            assertTrue(b >= 0 && b < n, "index " + b);
            seen[b] = true;
        }
        assertTrue(seen[n - 1], "the highest index is reachable");
    }
}
