package io.meshd.net.metrics;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One counter per constant of an enum, incremented from any thread without allocating or locking, read as a sum,
 * and exported as one metric with a label naming the constant ({@code meshd_vtep_drops_total{reason="unknown-vni"}}).
 *
 * <p>Counters are striped by thread: each stripe holds a slot per constant and is padded to whole cache lines, and a
 * thread always increments the stripe its id selects. Data-path threads (one per event loop) thus each write their
 * own cache line instead of bouncing one line between cores on every frame; reads add the stripes up. Stripes are
 * still updated atomically because two threads may map to the same stripe.
 *
 * @param <E> the enum naming the counters
 */
public class EnumCounters<E extends Enum<E>> implements MetricSource {
    private static final int LONGS_PER_LINE = 8;
    private static final int STRIPES = stripes();
    private final E[] constants;
    private final String[] keys;
    private final int stripeLength;
    private final AtomicLongArray counts;
    private final String name;
    private final String help;
    private final String label;

    /**
     * Creates counters at zero.
     *
     * @param type the enum class
     * @param name the exported metric name, ending in {@code _total}
     * @param help one line saying what is counted
     * @param label the label whose value is the constant's kebab-case name
     * @throws IllegalArgumentException if the name does not end in {@code _total} or the label is not a valid name
     */
    public EnumCounters(Class<E> type, String name, String help, String label) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name must end in _total: " + name);
        }
        Labels.of(label, "");
        this.name = name;
        this.help = Objects.requireNonNull(help, "help");
        this.label = label;
        this.constants = type.getEnumConstants();
        this.keys = new String[constants.length];
        for (int i = 0; i < constants.length; i++) {
            keys[i] = constants[i].name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        // Whole lines for the slots plus one line of padding, so no two stripes share a cache line.
        this.stripeLength = (constants.length + LONGS_PER_LINE - 1) / LONGS_PER_LINE * LONGS_PER_LINE + LONGS_PER_LINE;
        this.counts = new AtomicLongArray(STRIPES * stripeLength);
    }

    /**
     * Counts one event.
     *
     * @param event the event
     */
    public final void increment(E event) {
        counts.getAndIncrement(slot(event.ordinal()));
    }

    /**
     * Counts several events at once.
     *
     * @param event the event
     * @param delta how many
     */
    public final void add(E event, long delta) {
        counts.getAndAdd(slot(event.ordinal()), delta);
    }

    /**
     * The count of one event, summed over the stripes (a moment's view while other threads count).
     *
     * @param event the event
     * @return events so far
     */
    public final long get(E event) {
        long sum = 0;
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            sum += counts.get(stripe * stripeLength + event.ordinal());
        }
        return sum;
    }

    /**
     * The sum over every event.
     *
     * @return events so far
     */
    public final long total() {
        long total = 0;
        for (E constant : constants) {
            total += get(constant);
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
            snapshot.put(keys[i], get(constants[i]));
        }
        return snapshot;
    }

    @Override
    public void collect(MetricSink sink) {
        for (int i = 0; i < constants.length; i++) {
            sink.sample(name, MetricType.COUNTER, help, Labels.of(label, keys[i]), get(constants[i]));
        }
    }

    private int slot(int ordinal) {
        int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
        return stripe * stripeLength + ordinal;
    }

    /** A power of two at least the number of cores, at most 64. */
    private static int stripes() {
        int cores = Math.min(64, Runtime.getRuntime().availableProcessors());
        return Integer.highestOneBit(Math.max(1, cores * 2 - 1));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + snapshot();
    }
}
