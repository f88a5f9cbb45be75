package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.TableEvent;
import io.meshd.gossip.TableEvent.Kind;
import io.meshd.gossip.internal.Message.TableUpdate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableStoreTest {

    private final Set<String> down = new HashSet<>();
    private final List<TableEvent> events = new ArrayList<>();
    private final TableStore store = new TableStore("me", o -> !down.contains(o), events::add);

    private static TableUpdate v(String owner, long clock, boolean deleted, int value) {
        return new TableUpdate("t", "k", owner, clock, deleted, deleted ? new byte[0] : new byte[] {(byte) value});
    }

    private List<Kind> kinds() {
        return events.stream().map(TableEvent::kind).toList();
    }

    @Test
    void shouldPutThenUpdateThenDeleteWithEvents() {
        assertTrue(store.apply(v("b", 1, false, 1), 0));
        assertTrue(store.apply(v("b", 2, false, 2), 0));
        assertTrue(store.apply(v("c", 3, true, 0), 0));
        assertEquals(List.of(Kind.PUT, Kind.UPDATE, Kind.DELETE), kinds());
        assertTrue(store.get("t", "k").isEmpty());
    }

    @Test
    void shouldIgnoreOlderVersionsAndBreakClockTiesByOwner() {
        store.apply(v("b", 5, false, 1), 0);
        assertFalse(store.apply(v("z", 4, false, 9), 0));
        assertTrue(store.apply(v("c", 5, false, 2), 0), "same clock, higher owner wins");
        assertFalse(store.apply(v("a", 5, false, 3), 0));
        assertArrayEquals(new byte[] {2}, store.get("t", "k").orElseThrow());
    }

    @Test
    void shouldAdvanceLamportClockPastEverythingSeen() {
        store.apply(v("b", 41, false, 1), 0);
        TableUpdate mine = store.put("t", "k", new byte[] {7}, 0);
        assertEquals(42, mine.clock());
        assertArrayEquals(new byte[] {7}, store.get("t", "k").orElseThrow());
    }

    @Test
    void shouldHideEntriesOfADeadOwnerAndRestoreThemWhenItReturns() {
        store.apply(v("b", 1, false, 1), 0);
        down.add("b");
        store.ownerChanged("b", false);
        assertTrue(store.get("t", "k").isEmpty());
        assertTrue(store.entries("t").isEmpty());
        down.remove("b");
        store.ownerChanged("b", true);
        assertArrayEquals(new byte[] {1}, store.get("t", "k").orElseThrow());
        assertEquals(List.of(Kind.PUT, Kind.HIDDEN, Kind.RESTORED), kinds());
    }

    @Test
    void shouldReapTombstonesOnlyAfterTheirTime() {
        store.put("t", "k", new byte[] {1}, 0);
        assertTrue(store.delete("t", "k", 10).isPresent());
        store.reap(50, 100);
        assertEquals(1, store.snapshot().size(), "tombstone kept until its time");
        store.reap(110, 100);
        assertTrue(store.snapshot().isEmpty());
    }

    @Test
    void shouldForgetEveryVersionOfAForgottenOwner() {
        store.apply(v("b", 1, false, 1), 0);
        store.put("t", "mine", new byte[] {1}, 0);
        store.forget("b");
        store.forget("me");
        assertEquals(1, store.snapshot().size());
    }
}
