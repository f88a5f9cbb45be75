package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BroadcastQueueTest {

    private final BroadcastQueue q = new BroadcastQueue();

    @Test
    void shouldRetireAnUpdateAfterItsRetransmitLimit() {
        q.add("a", new byte[10]);
        for (int i = 0; i < 3; i++) {
            List<byte[]> out = new ArrayList<>();
            q.drainInto(out, 100, 2, 255, 3);
            assertEquals(1, out.size());
        }
        assertEquals(0, q.size());
        assertFalse(q.contains("a"));
    }

    @Test
    void shouldReplaceAQueuedUpdateWithTheSameKey() {
        q.add("a", new byte[] {1});
        q.add("a", new byte[] {2});
        List<byte[]> out = new ArrayList<>();
        q.drainInto(out, 100, 2, 255, 5);
        assertEquals(1, out.size());
        assertArrayEquals(new byte[] {2}, out.get(0));
    }

    private byte[] drainOne() {
        List<byte[]> out = new ArrayList<>();
        int used = q.drainInto(out, 23, 2, 255, 5);
        assertEquals(22, used, "only one 20-byte update fits in 23 bytes");
        assertEquals(1, out.size());
        return out.get(0);
    }

    @Test
    void shouldSendLeastTransmittedFirstThenNewestAndRespectTheBudget() {
        byte[] old = new byte[20];
        old[0] = 1;
        byte[] fresh = new byte[20];
        fresh[0] = 2;
        q.add("old", old);
        assertArrayEquals(old, drainOne());
        q.add("new", fresh);
        assertArrayEquals(fresh, drainOne(), "never sent goes first");
        assertArrayEquals(fresh, drainOne(), "equal counts: newest first");
        assertArrayEquals(old, drainOne(), "then the less transmitted one");
        assertTrue(q.contains("old") && q.contains("new"));
    }

    @Test
    void shouldUseMemberlistRetransmitLimit() {
        assertEquals(4, BroadcastQueue.retransmitLimit(4, 5));
        assertEquals(12, BroadcastQueue.retransmitLimit(4, 999));
        assertEquals(16, BroadcastQueue.retransmitLimit(4, 1000));
        assertEquals(20, BroadcastQueue.retransmitLimit(4, 10_000));
    }
}
