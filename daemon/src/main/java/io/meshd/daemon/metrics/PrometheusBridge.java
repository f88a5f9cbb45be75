package io.meshd.daemon.metrics;

import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
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
 * <p>A sample whose type disagrees with the first sample of its name is left out (the source is wrong, and one
 * family cannot hold both); {@link io.meshd.net.metrics.MetricRegistry#samples()} reports such sources in tests.
 */
public final class PrometheusBridge implements MultiCollector {

    private static final String TOTAL = "_total";

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
        List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
        for (Family f : families.values()) {
            snapshots.add(f.snapshot());
        }
        return new MetricSnapshots(snapshots);
    }

    private static io.prometheus.metrics.model.snapshots.Labels labels(Labels labels) {
        return io.prometheus.metrics.model.snapshots.Labels.of(labels.names().toArray(new String[0]),
            labels.values().toArray(new String[0]));
    }

    /** The samples of one name, in the order the source reported them. */
    private static final class Family {
        private final String name;
        private final MetricType type;
        private final String help;
        private final List<Labels> labels = new ArrayList<>();
        private final List<Double> values = new ArrayList<>();

        Family(String name, MetricType type, String help) {
            this.name = name;
            this.type = type;
            this.help = help;
        }

        void add(MetricType sampleType, Labels sampleLabels, double value) {
            if (sampleType == type) {
                labels.add(sampleLabels);
                values.add(value);
            }
        }

        MetricSnapshot snapshot() {
            if (type == MetricType.COUNTER) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().help(help)
                    .name(name.endsWith(TOTAL) ? name.substring(0, name.length() - TOTAL.length()) : name);
                for (int i = 0; i < values.size(); i++) {
                    b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels(labels.get(i)))
                        .value(values.get(i)).build());
                }
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            for (int i = 0; i < values.size(); i++) {
                b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels(labels.get(i)))
                    .value(values.get(i)).build());
            }
            return b.build();
        }
    }
}
