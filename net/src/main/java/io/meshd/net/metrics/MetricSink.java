package io.meshd.net.metrics;

/**
 * Where a {@link MetricSource} reports its samples: an exporter, a CLI table, a test.
 *
 * <p>A source reports every sample of one metric name with the same type and help, and may report one name
 * several times with different labels. Called on the exporting thread, never on a packet path.
 */
@FunctionalInterface
public interface MetricSink {
    /**
     * Takes one sample.
     *
     * @param name the metric name ({@code meshd_vtep_drops_total}); counters end in {@code _total}
     * @param type counter or gauge
     * @param help one line saying what is measured
     * @param labels what tells this sample apart from the others of the same name
     * @param value the value now
     */
    void sample(String name, MetricType type, String help, Labels labels, double value);
}
