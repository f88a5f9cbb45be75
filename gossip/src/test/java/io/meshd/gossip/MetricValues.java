package io.meshd.gossip;

import io.meshd.net.metrics.MetricSource;

/** Reads one sample out of a {@link MetricSource}, for assertions. */
public final class MetricValues {

    private MetricValues() {
    }

    /** The value of {@code name{label="value"}}, or 0 if the source has no such sample. */
    public static long value(MetricSource source, String name, String label, String value) {
        long[] found = {0};
        source.collect((n, type, help, labels, v) -> {
            if (n.equals(name) && labels.value(label).equals(value)) {
                found[0] = (long) v;
            }
        });
        return found[0];
    }
}
