package io.meshd.daemon.metrics;

import io.meshd.net.metrics.MetricSource;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Presents a {@link MetricSource} to the Prometheus Java client as a {@link MultiCollector}: every scrape collects
 * the source once and groups its samples by name into one counter or gauge family each, with the help and type the
 * source gives. Counter names end in {@code _total} in meshd; the client's model names a counter family without
 * that suffix and adds it when it writes the text format, so the exported names are meshd's unchanged.
 *
 * <p>Gauges named {@code X_bucket} with an {@code le} label (cumulative counts up to {@code +Inf}), with gauges
 * {@code X_count} and {@code X_sum}, are how a source reports a histogram with two types; they are exported as one
 * histogram family {@code X} ({@link Histograms}).
 *
 * <p>A sample whose type disagrees with the first sample of its name is left out (the source is wrong, and one
 * family cannot hold both); {@link io.meshd.net.metrics.MetricRegistry#samples()} reports such sources in tests.
 */
public final class PrometheusBridge implements MultiCollector {

    private final MetricSource source;

    /**
     * Bridges {@code source}.
     *
     * @param source what every scrape collects
     */
    public PrometheusBridge(MetricSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new LinkedHashMap<>();
        source.collect((name, type, help, labels, value) -> families
            .computeIfAbsent(name, n -> new Family(n, type, help)).add(type, labels, value));
        Map<String, MetricSnapshot> histograms = new HashMap<>();
        for (Family f : List.copyOf(families.values())) {
            if (families.containsKey(f.name)) {
                Histograms.merge(f, families).ifPresent(h -> histograms.put(f.name, h));
            }
        }
        List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
        for (Family f : families.values()) {
            MetricSnapshot h = histograms.get(f.name);
            snapshots.add(h != null ? h : f.snapshot());
        }
        return new MetricSnapshots(snapshots);
    }
}
