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

    private static TableUpdate c(String key, String owner, long clock, boolean deleted, int value) {
        byte[] v = deleted ? new byte[0] : new byte[] {(byte) value};
        return new TableUpdate("t", key, owner, clock, deleted, true, v);
    }

    @Test
    void shouldKeepClusterScopedEntriesVisibleWhenTheirWriterDiesOrIsForgotten() {
        store.apply(c("net", "b", 1, false, 1), 0);
        store.apply(v("b", 2, false, 2), 0);
        down.add("b");
        store.ownerChanged("b", false);
        assertEquals(List.of(Kind.PUT, Kind.PUT, Kind.HIDDEN), kinds(), "only the node-scoped entry is hidden");
        assertArrayEquals(new byte[] {1}, store.get("t", "net").orElseThrow());
        assertTrue(store.get("t", "k").isEmpty());
        store.forget("b");
        assertArrayEquals(new byte[] {1}, store.get("t", "net").orElseThrow(), "forgetting b keeps its cluster entry");
        assertEquals(List.of("net"), List.copyOf(store.entries("t", "b").keySet()), "node-scoped entry forgotten");
    }

    @Test
    void shouldDeleteAClusterScopedEntryWithATombstoneReapedAfterItsTime() {
        store.apply(c("net", "b", 1, false, 1), 0);
        down.add("b");
        TableUpdate tomb = store.delete("t", "net", true, 10).orElseThrow();
        assertTrue(tomb.deleted() && tomb.cluster() && tomb.owner().equals("me"));
        assertTrue(store.get("t", "net").isEmpty());
        assertFalse(store.apply(c("net", "b", 1, false, 1), 20), "the older value does not come back");
        store.reap(10 + 99, 100);
        assertEquals(1, store.snapshot().size(), "tombstone kept until its time");
        store.reap(10 + 100, 100);
        assertEquals(0, store.snapshot().size(), "tombstone reaped");
    }

    @Test
    void shouldListAnOwnersEntriesHiddenOnesIncludedButNotItsTombstonesOrLostKeys() {
        store.apply(new TableUpdate("t", "a", "b", 1, false, new byte[] {1}), 0);
        store.apply(new TableUpdate("t", "x", "b", 2, true, new byte[0]), 0);
        store.apply(new TableUpdate("t", "y", "b", 3, false, new byte[] {3}), 0);
        store.apply(new TableUpdate("t", "y", "c", 4, false, new byte[] {4}), 0);
        down.add("b");
        assertEquals(List.of("a"), List.copyOf(store.entries("t", "b").keySet()));
        assertEquals(List.of("y"), List.copyOf(store.entries("t", "c").keySet()));
    }
}
