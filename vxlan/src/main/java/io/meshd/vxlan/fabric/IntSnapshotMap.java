package io.meshd.vxlan.fabric;

import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A copy-on-write int-keyed map for state the packet path reads and the control plane rarely writes (networks,
 * port bindings, flood lists). Reads take a volatile snapshot and never allocate or lock; each write copies the map
 * under the monitor and publishes the copy with one volatile write, so a published map is never mutated.
 *
 * @param <V> the value type
 */
final class IntSnapshotMap<V> {
    private volatile Int2ObjectHashMap<V> snapshot = new Int2ObjectHashMap<>();

    /** The value for a key, or null. Lock-free, allocation-free. */
    V get(int key) {
        return snapshot.get(key);
    }

    /** Replaces the value for a key with what the function makes of the current one (null in, null out = absent). */
    synchronized V compute(int key, UnaryOperator<V> function) {
        Int2ObjectHashMap<V> copy = new Int2ObjectHashMap<>();
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

    synchronized V put(int key, V value) {
        return compute(key, current -> value);
    }

    synchronized V remove(int key) {
        V current = snapshot.get(key);
        compute(key, ignored -> null);
        return current;
    }

    /** The keys, ascending (allocates). */
    List<Integer> keys() {
        List<Integer> keys = new ArrayList<>(snapshot.keySet());
        keys.sort(null);
        return keys;
    }

    /** The values (allocates). */
    List<V> values() {
        return new ArrayList<>(snapshot.values());
    }
}
