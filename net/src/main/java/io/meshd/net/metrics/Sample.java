package io.meshd.net.metrics;

import java.util.Objects;

/**
 * One collected value with its metadata: what {@link MetricRegistry#samples()} returns for CLIs and tests.
 *
 * @param name the metric name
 * @param type counter or gauge
 * @param help one line saying what is measured
 * @param labels what tells this sample apart from others of the same name
 * @param value the value when collected
 */
public record Sample(String name, MetricType type, String help, Labels labels, double value) {
    /**
     * Checks the parts.
     *
     * @throws NullPointerException if a part is missing
     */
    public Sample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(labels, "labels");
    }
}
