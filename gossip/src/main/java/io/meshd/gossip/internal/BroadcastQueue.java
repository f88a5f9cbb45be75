package io.meshd.gossip.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * memberlist's TransmitLimitedQueue: encoded updates waiting to be piggybacked, each sent at most
 * {@code retransmitMult · ⌈log10(n + 1)⌉} times. Fewer-sent and newer updates go first; a new update with the same
 * key (member name, or table and key) replaces the queued one, so stale news is never spread.
 */
public final class BroadcastQueue {

    private static final class Item implements Comparable<Item> {
        final String key;
        final byte[] part;
        final long id;
        int transmits;

        Item(String key, byte[] part, long id) {
            this.key = key;
            this.part = part;
            this.id = id;
        }

        @Override
        public int compareTo(Item o) {
            if (transmits != o.transmits) {
                return Integer.compare(transmits, o.transmits);
            }
            return Long.compare(o.id, id);
        }
    }

    private final TreeSet<Item> queue = new TreeSet<>();
    private final Map<String, Item> byKey = new HashMap<>();
    private final List<Item> sent = new ArrayList<>();
    private long nextId;

    /** Queues {@code part} under {@code key}, replacing an update with the same key. */
    public void add(String key, byte[] part) {
        Item old = byKey.remove(key);
        if (old != null) {
            queue.remove(old);
        }
        Item item = new Item(key, part, nextId++);
        byKey.put(key, item);
        queue.add(item);
    }

    /** True while an update with {@code key} is still queued. */
    public boolean contains(String key) {
        return byKey.containsKey(key);
    }

    /** Updates waiting. */
    public int size() {
        return queue.size();
    }

    /** Drops everything (on shutdown). */
    public void clear() {
        queue.clear();
        byKey.clear();
    }

    /**
     * Moves updates that fit into {@code budget} bytes (each costs its length plus {@code overhead}) into
     * {@code out}, at most {@code maxParts}, counting a transmission for each and retiring those that reached
     * {@code limit}. Returns the bytes used.
     */
    public int drainInto(List<byte[]> out, int budget, int overhead, int maxParts, int limit) {
        int used = 0;
        sent.clear();
        for (Item item : queue) {
            if (out.size() >= maxParts || budget - used < overhead + 1) {
                break;
            }
            int cost = item.part.length + overhead;
            if (cost <= budget - used) {
                out.add(item.part);
                used += cost;
                sent.add(item);
            }
        }
        for (Item item : sent) {
            queue.remove(item);
            item.transmits++;
            if (item.transmits < limit) {
                queue.add(item);
            } else {
                byKey.remove(item.key);
            }
        }
        sent.clear();
        return used;
    }

    /** memberlist's retransmit limit for a cluster of {@code n}. */
    public static int retransmitLimit(int retransmitMult, int n) {
        return retransmitMult * (int) Math.ceil(Math.log10(n + 1.0));
    }
}
