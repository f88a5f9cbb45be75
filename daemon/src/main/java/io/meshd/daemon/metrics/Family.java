package io.meshd.daemon.metrics;

import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricType;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;

/** The samples of one metric name from one collection, in the order the sources reported them. */
final class Family {

    private static final String TOTAL = "_total";

    final String name;
    final MetricType type;
    final String help;
    final List<Labels> labels = new ArrayList<>();
    final List<Double> values = new ArrayList<>();

    Family(String name, MetricType type, String help) {
        this.name = name;
        this.type = type;
        this.help = help;
    }

    /** Keeps a sample of this family's type; one of another type is left out (one family cannot hold both). */
    void add(MetricType sampleType, Labels sampleLabels, double value) {
        if (sampleType == type) {
            labels.add(sampleLabels);
            values.add(value);
        }
    }

    /**
     * A counter family (named without {@code _total}, which the client's writer adds back) or a gauge family.
     */
    MetricSnapshot snapshot() {
        if (type == MetricType.COUNTER) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().help(help)
                .name(name.endsWith(TOTAL) ? name.substring(0, name.length() - TOTAL.length()) : name);
            for (int i = 0; i < values.size(); i++) {
                b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(prometheus(labels.get(i)))
                    .value(values.get(i)).build());
            }
            return b.build();
        }
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (int i = 0; i < values.size(); i++) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(prometheus(labels.get(i)))
                .value(values.get(i)).build());
        }
        return b.build();
    }

    static io.prometheus.metrics.model.snapshots.Labels prometheus(Labels labels) {
        return io.prometheus.metrics.model.snapshots.Labels.of(labels.names().toArray(new String[0]),
            labels.values().toArray(new String[0]));
    }
}
