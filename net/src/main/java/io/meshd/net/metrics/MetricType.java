package io.meshd.net.metrics;

/** The kinds of exported value, as Prometheus and OpenMetrics name them. */
public enum MetricType {
    /** Only goes up (events so far); exported names end in {@code _total}. */
    COUNTER,
    /** Goes up and down (entries in a table, members alive). */
    GAUGE,
}
