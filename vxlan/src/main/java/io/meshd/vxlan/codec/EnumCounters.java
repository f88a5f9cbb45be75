package io.meshd.vxlan.codec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One counter per constant of an enum, incremented from any thread without allocating or locking. Counters sit
 * eight longs (a cache line) apart so data-path threads counting different events do not share a line.
 *
 * @param <E> the enum naming the counters
 */
public class EnumCounters<E extends Enum<E>> {
    private static final int STRIDE = 8;
    private final E[] constants;
    private final String[] keys;
    private final AtomicLongArray counts;

    /**
     * Creates counters at zero.
     *
     * @param type the enum class
     */
    public EnumCounters(Class<E> type) {
        this.constants = type.getEnumConstants();
        this.keys = new String[constants.length];
        for (int i = 0; i < constants.length; i++) {
            keys[i] = constants[i].name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        this.counts = new AtomicLongArray(constants.length * STRIDE);
    }

    /**
     * Counts one event.
     *
     * @param event the event
     */
    public final void increment(E event) {
        counts.getAndIncrement(event.ordinal() * STRIDE);
    }

    /**
     * Counts several events at once.
     *
     * @param event the event
     * @param delta how many
     */
    public final void add(E event, long delta) {
        counts.getAndAdd(event.ordinal() * STRIDE, delta);
    }

    /**
     * The count of one event.
     *
     * @param event the event
     * @return events so far
     */
    public final long get(E event) {
        return counts.get(event.ordinal() * STRIDE);
    }

    /**
     * The sum over every event.
     *
     * @return events so far
     */
    public final long total() {
        long total = 0;
        for (int i = 0; i < constants.length; i++) {
            total += counts.get(i * STRIDE);
        }
        return total;
    }

    /**
     * A copy of every counter keyed by the kebab-case constant name ({@code UNKNOWN_VNI} becomes {@code
     * unknown-vni}), in declaration order, zeros included.
     *
     * @return a fresh, modifiable map
     */
    public final Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        for (int i = 0; i < constants.length; i++) {
            snapshot.put(keys[i], counts.get(i * STRIDE));
        }
        return snapshot;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + snapshot();
    }
}
