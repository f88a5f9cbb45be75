package io.meshd.gossip.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many members claiming slots concurrently, their claims delivered in random orders with duplicates
 * ({@link ClaimModel}), converge to a unique assignment: every replica holds the same claims, every member holds a
 * slot, no two hold the same one. The check fails against winner rules that are not a total order every member
 * computes alike.
 */
class BlockAllocatorPropertyTest {

    /** 2 to 12 members with names of different lengths, 0 to 3 spare slots. */
    static Optional<String> convergesToAUniqueAssignment(WinnerRule rule, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 2 + r.nextInt(11);
        List<String> names = new ArrayList<>();
        while (names.size() < n) {
            String name = "n" + r.nextInt(1000);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        int slots = n + r.nextInt(4);
        ClaimModel m = new ClaimModel(r, names, slots, rule);
        if (!m.run()) {
            return Optional.of("did not settle: " + n + " members, " + slots + " slots");
        }
        Map<String, byte[]> first = m.replica(0);
        for (int i = 1; i < n; i++) {
            if (!sameKeys(first, m.replica(i))) {
                return Optional.of("replicas differ: " + first.keySet() + " vs " + m.replica(i).keySet());
            }
        }
        Map<Integer, String> holders = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            OptionalInt held = m.allocator(i).held();
            if (held.isEmpty()) {
                return Optional.of(names.get(i) + " holds no slot of " + slots + "; claims " + first.keySet());
            }
            String before = holders.put(held.getAsInt(), names.get(i));
            if (before != null) {
                return Optional.of("slot " + held.getAsInt() + " held by " + before + " and " + names.get(i));
            }
        }
        Map<Integer, List<String>> claims = m.allocator(0).claims();
        for (Map.Entry<Integer, List<String>> e : claims.entrySet()) {
            if (e.getValue().size() != 1) {
                return Optional.of("slot " + e.getKey() + " claimed by " + e.getValue());
            }
        }
        if (claims.size() != n) {
            return Optional.of(claims.size() + " claims left for " + n + " members: " + claims);
        }
        return Optional.empty();
    }

    private static boolean sameKeys(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        Map<String, Boolean> same = new HashMap<>();
        a.forEach((k, v) -> same.put(k, Arrays.equals(v, b.get(k))));
        return !same.containsValue(false);
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void concurrentClaimsInAnyDeliveryOrderConvergeToAUniqueAssignment(long seed) {
        assertEquals(Optional.empty(), convergesToAUniqueAssignment(WinnerRule.LOWEST_NAME, seed), Seeds.replay(seed));
    }

    private static boolean catches(WinnerRule broken) {
        return Seeds.seeds().anyMatch(seed -> convergesToAUniqueAssignment(broken, seed).isPresent());
    }

    @Test
    void shouldCatchFirstComeAsSeenLocally() {
        // Each member keeps the slot it claimed first, as if its own claim were always the oldest.
        assertTrue(catches((rival, self) -> false));
    }

    @Test
    void shouldCatchARuleThatIsNotATotalOrder() {
        // The shorter name wins, and on equal lengths both keep the slot.
        assertTrue(catches((rival, self) -> rival.length() < self.length()));
    }
}
