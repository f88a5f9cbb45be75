package io.meshd.net.metrics;

/**
 * Anything that can enumerate its counters and gauges for export. Every module's counters implement it, so one
 * {@link MetricRegistry} can list the whole process: name, help, labels and value of each sample.
 */
@FunctionalInterface
public interface MetricSource {
    /**
     * Reports every sample now (zeros included, so a series never appears out of nowhere).
     *
     * @param sink where the samples go
     */
    void collect(MetricSink sink);
}
