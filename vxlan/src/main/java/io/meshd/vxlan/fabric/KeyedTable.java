package io.meshd.vxlan.fabric;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * An open-addressing hash table of {@link TableEntry} keyed by (VNI, 64-bit key): lock-free, allocation-free reads
 * from any number of threads, writes serialised by the table's monitor.
 *
 * <p>Memory ordering: slots are read with volatile semantics ({@link AtomicReferenceArray#get}), and an entry's
 * final fields are set before it is published into a slot with a volatile write, so a reader that sees an entry
 * sees it whole. Removal writes a tombstone so probe chains stay intact for concurrent readers. Growing builds a
 * new slot array off to the side and publishes it with one volatile write; readers still probing the old array
 * see the table as it was, which is a valid linearisation of a lookup that began before the write. Entries are
 * moved, not copied, so mutable per-entry state (a learned entry's last-seen time) survives a rehash.
 */
final class KeyedTable {
    private static final TableEntry TOMBSTONE = new TableEntry(-1, -1) {
    };
    private static final int MIN_CAPACITY = 16;
    private volatile AtomicReferenceArray<TableEntry> slots = new AtomicReferenceArray<>(MIN_CAPACITY);
    private int size;
    private int used;

    /**
     * The entry for a key, or null. Lock-free, allocation-free.
     */
    TableEntry get(int vni, long key) {
        AtomicReferenceArray<TableEntry> table = slots;
        int mask = table.length() - 1;
        int index = index(vni, key) & mask;
        for (int probes = 0; probes <= mask; probes++) {
            TableEntry entry = table.get(index);
            if (entry == null) {
                return null;
            }
            if (entry.key == key && entry.vni == vni && entry != TOMBSTONE) {
                return entry;
            }
            index = (index + 1) & mask;
        }
        return null;
    }

    /**
     * Inserts or replaces the entry with the same key; returns the previous entry or null.
     */
    synchronized TableEntry put(TableEntry entry) {
        if ((used + 1) * 2 > slots.length()) {
            rehash();
        }
        AtomicReferenceArray<TableEntry> table = slots;
        int mask = table.length() - 1;
        int index = index(entry.vni, entry.key) & mask;
        int freeSlot = -1;
        for (int probes = 0; probes <= mask; probes++) {
            TableEntry current = table.get(index);
            if (current == null) {
                break;
            }
            if (current == TOMBSTONE) {
                if (freeSlot < 0) {
                    freeSlot = index;
                }
            } else if (current.key == entry.key && current.vni == entry.vni) {
                table.set(index, entry);
                return current;
            }
            index = (index + 1) & mask;
        }
        if (freeSlot >= 0) {
            table.set(freeSlot, entry);
        } else {
            table.set(index, entry);
            used++;
        }
        size++;
        return null;
    }

    /**
     * Removes the entry with this key if it is exactly {@code expected}; returns whether it did.
     */
    synchronized boolean removeExact(TableEntry expected) {
        AtomicReferenceArray<TableEntry> table = slots;
        int mask = table.length() - 1;
        int index = index(expected.vni, expected.key) & mask;
        for (int probes = 0; probes <= mask; probes++) {
            TableEntry current = table.get(index);
            if (current == null) {
                return false;
            }
            if (current == expected) {
                table.set(index, TOMBSTONE);
                size--;
                return true;
            }
            index = (index + 1) & mask;
        }
        return false;
    }

    /**
     * Removes the entry for a key; returns it or null.
     */
    synchronized TableEntry remove(int vni, long key) {
        TableEntry current = get(vni, key);
        if (current != null) {
            removeExact(current);
        }
        return current;
    }

    /**
     * Removes every entry the predicate accepts; returns how many.
     */
    synchronized int removeIf(Predicate<TableEntry> predicate) {
        AtomicReferenceArray<TableEntry> table = slots;
        int removed = 0;
        for (int i = 0; i < table.length(); i++) {
            TableEntry entry = table.get(i);
            if (entry != null && entry != TOMBSTONE && predicate.test(entry)) {
                table.set(i, TOMBSTONE);
                removed++;
            }
        }
        size -= removed;
        return removed;
    }

    /**
     * A copy of the entries the predicate accepts (control plane; allocates).
     */
    List<TableEntry> entries(Predicate<TableEntry> predicate) {
        AtomicReferenceArray<TableEntry> table = slots;
        List<TableEntry> entries = new ArrayList<>();
        for (int i = 0; i < table.length(); i++) {
            TableEntry entry = table.get(i);
            if (entry != null && entry != TOMBSTONE && predicate.test(entry)) {
                entries.add(entry);
            }
        }
        return entries;
    }

    synchronized int size() {
        return size;
    }

    /** Rebuilds the slots without tombstones, at least four times the live entries, so the load stays <= 1/2. */
    private void rehash() {
        AtomicReferenceArray<TableEntry> old = slots;
        int capacity = MIN_CAPACITY;
        while (capacity < (size + 1) * 4) {
            capacity <<= 1;
        }
        AtomicReferenceArray<TableEntry> table = new AtomicReferenceArray<>(capacity);
        int mask = capacity - 1;
        for (int i = 0; i < old.length(); i++) {
            TableEntry entry = old.get(i);
            if (entry != null && entry != TOMBSTONE) {
                int index = index(entry.vni, entry.key) & mask;
                while (table.get(index) != null) {
                    index = (index + 1) & mask;
                }
                table.set(index, entry);
            }
        }
        used = size;
        // Volatile write: publishes the fully built array; readers pick it up on their next lookup.
        slots = table;
    }

    private static int index(int vni, long key) {
        long hash = (key ^ (long) vni << 40) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (hash ^ hash >>> 32);
    }
}
