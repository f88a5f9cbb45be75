package io.meshd.net.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The sources of one process (or one embedded component), collected together for export.
 *
 * <p>Checks what its sources report: a valid metric name, counters named {@code *_total}, one type and help per
 * name across every source, and no counter {@code X_total} beside a metric {@code X} (exporters name a counter's
 * family without the suffix, so the two would clash). Registration is thread-safe; collection reads each source's
 * current values.
 */
public final class MetricRegistry implements MetricSource {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final List<MetricSource> sources = new CopyOnWriteArrayList<>();

    /**
     * Adds a source; it is collected until {@link #unregister} removes it.
     *
     * @param source the source
     * @return the source, for chaining
     */
    public <S extends MetricSource> S register(S source) {
        sources.add(Objects.requireNonNull(source, "source"));
        return source;
    }

    /**
     * Removes a source (a closed listener, a detached port).
     *
     * @param source a registered source
     * @return whether it was registered
     */
    public boolean unregister(MetricSource source) {
        return sources.remove(source);
    }

    @Override
    public void collect(MetricSink sink) {
        for (MetricSource source : sources) {
            source.collect(sink);
        }
    }

    /**
     * Every sample now, checked.
     *
     * @return the samples in source order
     * @throws IllegalStateException if a source reports an invalid name or one name with two types or helps
     */
    public List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        Map<String, Sample> firstByName = new HashMap<>();
        Set<String> series = new HashSet<>();
        collect((name, type, help, labels, value) -> {
            Sample s = new Sample(name, type, help, labels, value);
            check(s, firstByName.computeIfAbsent(name, n -> s));
            if (!series.add(name + labels)) {
                throw new IllegalStateException("metric " + name + labels + " reported twice");
            }
            out.add(s);
        });
        for (String name : firstByName.keySet()) {
            if (name.endsWith("_total") && firstByName.containsKey(name.substring(0, name.length() - 6))) {
                throw new IllegalStateException("counter " + name + " and metric " + name.substring(0,
                    name.length() - 6) + " share one family name in Prometheus and OpenMetrics");
            }
        }
        return out;
    }

    private static void check(Sample s, Sample first) {
        if (!NAME.matcher(s.name()).matches()) {
            throw new IllegalStateException("invalid metric name: " + s.name());
        }
        if (s.type() == MetricType.COUNTER && !s.name().endsWith("_total")) {
            throw new IllegalStateException("a counter's name must end in _total: " + s.name());
        }
        if (first.type() != s.type() || !first.help().equals(s.help())) {
            throw new IllegalStateException("metric " + s.name() + " reported with two types or helps");
        }
    }
}
