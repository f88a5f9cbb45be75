package io.meshd.daemon.metrics;

import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricType;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reassembles histograms that a {@link io.meshd.net.metrics.MetricSource} reports the only way its two types allow:
 * gauges named {@code X_bucket} with an {@code le} label holding cumulative counts (with {@code le="+Inf"}), and
 * optionally gauges {@code X_count} and {@code X_sum} ({@code meshd_dns_answer_latency_seconds} is one). The result
 * is one Prometheus histogram family {@code X}, so the exposition says {@code # TYPE X histogram} and the client
 * writes the buckets, count and sum with their proper names.
 */
final class Histograms {

    private static final String BUCKET = "_bucket";
    private static final String LE = "le";

    private Histograms() {
    }

    /**
     * The histogram whose buckets {@code buckets} holds, taking its {@code _count} and {@code _sum} families out of
     * {@code families}; empty if {@code buckets} is not histogram-shaped (then nothing is taken).
     */
    static Optional<MetricSnapshot> merge(Family buckets, Map<String, Family> families) {
        if (!isBuckets(buckets)) {
            return Optional.empty();
        }
        String base = buckets.name.substring(0, buckets.name.length() - BUCKET.length());
        Map<Labels, TreeMap<Double, Double>> series = new LinkedHashMap<>();
        for (int i = 0; i < buckets.values.size(); i++) {
            Labels l = buckets.labels.get(i);
            double bound = bound(l.value(LE));
            series.computeIfAbsent(without(l), k -> new TreeMap<>()).put(bound, buckets.values.get(i));
        }
        if (series.values().stream().anyMatch(s -> !s.containsKey(Double.POSITIVE_INFINITY))) {
            return Optional.empty();
        }
        Family sums = takeGauge(families, base + "_sum");
        takeGauge(families, base + "_count");
        HistogramSnapshot.Builder h = HistogramSnapshot.builder().name(base).help(buckets.help);
        series.forEach((labels, cumulative) -> {
            double[] bounds = new double[cumulative.size()];
            long[] counts = new long[cumulative.size()];
            int i = 0;
            double below = 0;
            for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
                bounds[i] = b.getKey();
                counts[i++] = (long) Math.max(0, b.getValue() - below);
                below = Math.max(below, b.getValue());
            }
            HistogramSnapshot.HistogramDataPointSnapshot.Builder p = HistogramSnapshot.HistogramDataPointSnapshot
                .builder().labels(Family.prometheus(labels)).classicHistogramBuckets(
                    ClassicHistogramBuckets.of(bounds, counts));
            sum(sums, labels).ifPresent(p::sum);
            h.dataPoint(p.build());
        });
        return Optional.of(h.build());
    }

    private static boolean isBuckets(Family f) {
        if (f.type != MetricType.GAUGE || !f.name.endsWith(BUCKET) || f.values.isEmpty()) {
            return false;
        }
        for (Labels l : f.labels) {
            if (!l.names().contains(LE)) {
                return false;
            }
            try {
                bound(l.value(LE));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static double bound(String le) {
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }

    private static Labels without(Labels labels) {
        Labels out = Labels.none();
        List<String> names = labels.names();
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(LE)) {
                out = out.and(names.get(i), labels.values().get(i));
            }
        }
        return out;
    }

    private static Family takeGauge(Map<String, Family> families, String name) {
        Family f = families.get(name);
        if (f != null && f.type == MetricType.GAUGE) {
            families.remove(name);
            return f;
        }
        return null;
    }

    private static Optional<Double> sum(Family sums, Labels labels) {
        if (sums != null) {
            int i = sums.labels.indexOf(labels);
            if (i >= 0) {
                return Optional.of(sums.values.get(i));
            }
        }
        return Optional.empty();
    }
}
