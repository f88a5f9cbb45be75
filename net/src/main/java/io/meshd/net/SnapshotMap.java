package io.meshd.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A copy-on-write map with primitive {@code long} keys, for state a packet path reads and a control plane rarely
 * writes (networks, port bindings, flood lists, services). Reads take a volatile snapshot and never allocate or
 * lock; each write copies the map under the monitor and publishes the copy with one volatile write, so a published
 * map is never mutated. Narrower keys (an {@code int} VNI, a packed VIP/port/protocol) widen to {@code long}.
 *
 * @param <V> the value type
 */
public final class SnapshotMap<V> {
    private volatile Long2ObjectHashMap<V> snapshot = new Long2ObjectHashMap<>();

    /**
     * The value for a key, or null when absent: the packet path's lookup. Lock-free, allocation-free.
     *
     * @param key the key
     * @return the value, or null
     */
    public V getOrNull(long key) {
        return snapshot.get(key);
    }

    /**
     * The value for a key, for control-plane callers.
     *
     * @param key the key
     * @return the value, if present
     */
    public Optional<V> find(long key) {
        return Optional.ofNullable(snapshot.get(key));
    }

    /**
     * Replaces the value for a key with what the function makes of the current one (null in for absent; null out
     * removes the key).
     *
     * @param key the key
     * @param function from the current value (or null) to the new one (or null)
     * @return the new value, or null if the key is now absent
     */
    public synchronized V compute(long key, UnaryOperator<V> function) {
        Long2ObjectHashMap<V> copy = new Long2ObjectHashMap<>();
        copy.putAll(snapshot);
        V value = function.apply(copy.get(key));
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        // Volatile write: publishes the finished copy.
        snapshot = copy;
        return value;
    }

    /**
     * Sets the value for a key.
     *
     * @param key the key
     * @param value the value, non-null
     */
    public void put(long key, V value) {
        compute(key, current -> value);
    }

    /**
     * Removes a key.
     *
     * @param key the key
     * @return the value it had, if any
     */
    public synchronized Optional<V> remove(long key) {
        V current = snapshot.get(key);
        compute(key, ignored -> null);
        return Optional.ofNullable(current);
    }

    /**
     * The keys, ascending (allocates).
     *
     * @return a fresh list
     */
    public List<Long> keys() {
        List<Long> keys = new ArrayList<>(snapshot.keySet());
        keys.sort(null);
        return keys;
    }

    /**
     * The values (allocates).
     *
     * @return a fresh list
     */
    public List<V> values() {
        return new ArrayList<>(snapshot.values());
    }

    /**
     * How many keys.
     *
     * @return the size of the current snapshot
     */
    public int size() {
        return snapshot.size();
    }
}
