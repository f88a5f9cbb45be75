package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountersTest {

    private static final long INTERVAL = 1_000;

    @Test
    void shouldCountEveryDropButAskForALogLineOncePerIntervalAndReason() {
        Counters c = new Counters(INTERVAL);
        Counters.Drop tooLarge = c.dropReason("too_large");
        Counters.Drop other = c.dropReason("misdirected_ping");
        assertTrue(c.drop(tooLarge, 5), "the first drop is logged");
        assertFalse(c.drop(tooLarge, 6));
        assertFalse(c.drop(tooLarge, 5 + INTERVAL - 1));
        assertTrue(c.drop(other, 7), "each reason has its own interval");
        assertTrue(c.drop(tooLarge, 5 + INTERVAL), "logged again once the interval is over");
        assertEquals(4, c.get("dropped.too_large"));
        assertEquals(1, c.get("dropped.misdirected_ping"));
    }

    @Test
    void shouldShowADropReasonInSnapshotsOnlyOnceItWasCounted() {
        Counters c = new Counters(INTERVAL);
        Counters.Drop[] malformed = c.dropReasons("malformed.", CodecException.Reason.class);
        assertEquals(Map.of(), c.snapshot());
        Counters.Drop first = malformed[CodecException.Reason.values()[0].ordinal()];
        c.drop(first, 0);
        assertEquals(Map.of("dropped." + first.name(), 1L), c.snapshot());
        assertTrue(first.name().startsWith("malformed."));
    }

    @Test
    void shouldCountDropsWithoutAllocating() {
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Counters c = new Counters(INTERVAL);
        Counters.Drop reason = c.dropReason("too_large");
        for (int i = 0; i < 20_000; i++) {
            c.drop(reason, i);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            c.drop(reason, 20_000 + i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // A string per drop would be megabytes; allow for the measurement's own bookkeeping.
        assertTrue(allocated < 4096, allocated + " bytes allocated for 100000 drops");
        assertEquals(120_000, c.get("dropped.too_large"));
    }
}
