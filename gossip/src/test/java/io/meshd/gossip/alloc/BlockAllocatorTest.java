package io.meshd.gossip.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.GossipConfig;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** One allocator over an in-memory table, with a manual clock. */
class BlockAllocatorTest {

    private final Map<String, byte[]> table = new TreeMap<>();
    private long now;
    private final ClaimTable claims = new ClaimTable() {
        @Override
        public Map<String, byte[]> entries() {
            return new TreeMap<>(table);
        }

        @Override
        public void put(String key, byte[] value) {
            table.put(key, value);
        }

        @Override
        public boolean delete(String key) {
            return table.remove(key) != null;
        }
    };
    private final BlockAllocator a = BlockAllocator.create(claims, "front", "n5", 3, WinnerRule.LOWEST_NAME,
        () -> now);

    @Test
    void shouldClaimTheLowestFreeSlotAndSettleOnlyAfterTheSettleTime() {
        table.put("front/0/n9", new byte[] {1});
        assertEquals(OptionalInt.of(1), a.claim());
        assertTrue(table.containsKey("front/1/n5"));
        Duration settle = Duration.ofSeconds(5);
        assertEquals(OptionalInt.empty(), a.settled(settle));
        now += settle.toNanos() - 1;
        assertEquals(OptionalInt.empty(), a.settled(settle));
        now += 1;
        assertEquals(OptionalInt.of(1), a.settled(settle));
    }

    @Test
    void shouldYieldToALowerNameRepickAndRestartTheSettleTime() {
        a.claim();
        now += 10;
        table.put("front/0/n1", new byte[] {1});
        assertTrue(a.reevaluate(), "n1 beats n5 on slot 0");
        assertEquals(OptionalInt.of(1), a.held());
        assertFalse(table.containsKey("front/0/n5"));
        assertEquals(1, a.repicks());
        assertEquals(OptionalInt.empty(), a.settled(Duration.ofNanos(5)), "the new slot's time starts now");
        table.put("front/1/n7", new byte[] {1});
        assertFalse(a.reevaluate(), "a higher name does not beat n5");
        assertEquals(OptionalInt.of(1), a.held());
    }

    @Test
    void shouldLeaveANewerAllocatorOfTheSameClaimantAloneOnceReleased() {
        assertEquals(OptionalInt.of(0), a.claim());
        a.release();
        BlockAllocator again = BlockAllocator.create(claims, "front", "n5", 3, WinnerRule.LOWEST_NAME, () -> now);
        assertEquals(OptionalInt.of(0), again.claim());
        assertFalse(a.reevaluate(), "the released one writes nothing (both listen to the same table)");
        assertTrue(table.containsKey("front/0/n5"), "and deletes nothing of the newer one");
        assertEquals(OptionalInt.of(0), again.held());
    }

    @Test
    void shouldWaitWhenEverySlotIsTakenAndClaimWhenOneFreesUp() {
        table.put("front/0/n1", new byte[] {1});
        table.put("front/1/n2", new byte[] {1});
        table.put("front/2/n3", new byte[] {1});
        table.put("front/x/n0", new byte[] {1});
        table.put("front/7/n0", new byte[] {1});
        table.put("back/1/n0", new byte[] {1});
        assertEquals(OptionalInt.empty(), a.claim(), "unparsable, out-of-range and other pools' keys ignored");
        table.remove("front/1/n2");
        assertTrue(a.reevaluate());
        assertEquals(OptionalInt.of(1), a.held());
        a.release();
        assertFalse(table.containsKey("front/1/n5"));
        assertFalse(a.reevaluate(), "released: claims nothing");
    }

    @Test
    void shouldStateTheSettleTimeFromTheConfiguration() {
        GossipConfig c = GossipConfig.lan().name("x").build();
        // 4 retransmissions of 200 ms for 3 members, two 30 s push-pulls, a 10 s stream timeout.
        assertEquals(Duration.ofMillis(800).plusSeconds(70), BlockAllocator.settleTime(c, 3));
        // 100 members: log10(101) rounds up to 3, push-pull scaled by ceil(log2(100) - 5) + 1 = 3.
        assertEquals(Duration.ofMillis(2400).plusSeconds(190), BlockAllocator.settleTime(c, 100));
    }

    @Test
    void shouldRefuseABadPoolClaimantOrSize() {
        assertThrows(IllegalArgumentException.class, () -> BlockAllocator.create(claims, "a/b", "n", 1,
            WinnerRule.LOWEST_NAME));
        assertThrows(IllegalArgumentException.class, () -> BlockAllocator.create(claims, "p", "", 1,
            WinnerRule.LOWEST_NAME));
        assertThrows(IllegalArgumentException.class, () -> BlockAllocator.create(claims, "p", "n", 0,
            WinnerRule.LOWEST_NAME));
    }
}
