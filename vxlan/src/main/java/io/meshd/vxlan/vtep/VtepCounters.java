package io.meshd.vxlan.vtep;

import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricSink;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;
import java.util.Map;

/**
 * What a {@link UdpVtep} did: datagrams and bytes in and out, and the failures that are not drops of the codec
 * (those are counted by reason in the switch's drop counters). Increments allocate nothing and are safe from any
 * thread; {@link #snapshot()} is for the API and the CLI, {@link #collect} for metrics:
 * {@code meshd_vtep_datagrams_total{direction="rx|tx"}}, {@code meshd_vtep_bytes_total{direction}} (UDP payload
 * bytes), {@code meshd_vtep_gso_sends_total} and {@code meshd_vtep_errors_total{error}}.
 */
public final class VtepCounters implements MetricSource {
    private static final String DATAGRAMS = "meshd_vtep_datagrams_total";
    private static final String DATAGRAMS_HELP = "VXLAN datagrams received and sent by the VTEP, by direction";
    private static final String BYTES = "meshd_vtep_bytes_total";
    private static final String BYTES_HELP = "UDP payload bytes of the VTEP's datagrams, by direction";
    private static final String ERRORS = "meshd_vtep_errors_total";
    private static final String ERRORS_HELP = "VTEP datagrams lost outside the codec (drops by reason are"
        + " meshd_vxlan_drops_total), by error";
    private static final Labels RX = Labels.of("direction", "rx");
    private static final Labels TX = Labels.of("direction", "tx");

    /** The counters in the order the API and the CLI show them, named in kebab case ({@code rx-datagrams}). */
    private enum Counter {
        RX_DATAGRAMS, RX_BYTES, RX_ERRORS, TX_DATAGRAMS, TX_BYTES, TX_GSO_SENDS, TX_BATCH_SENDS, TX_BUFFER_FULL,
        TX_ERRORS, TX_OVERSIZED
    }

    private final EnumCounters<Counter> counts = new EnumCounters<>(Counter.class,
        "meshd_vtep_events_total", "VTEP datagrams, bytes and send failures, by event", "event");

    VtepCounters() {
    }

    void received(int bytes) {
        counts.increment(Counter.RX_DATAGRAMS);
        counts.add(Counter.RX_BYTES, bytes);
    }

    void sent(int datagrams, int bytes) {
        counts.add(Counter.TX_DATAGRAMS, datagrams);
        counts.add(Counter.TX_BYTES, bytes);
        if (datagrams > 1) {
            counts.increment(Counter.TX_GSO_SENDS);
        }
    }

    /** One {@code sendmmsg} carried {@code datagrams} (more than one) datagrams of {@code bytes} in all. */
    void sentBatch(int datagrams, int bytes) {
        counts.add(Counter.TX_DATAGRAMS, datagrams);
        counts.add(Counter.TX_BYTES, bytes);
        if (datagrams > 1) {
            counts.increment(Counter.TX_BATCH_SENDS);
        }
    }

    /** The socket buffer was full (non-blocking send returned nothing): dropped like on a full queue. */
    void sendBufferFull(int datagrams) {
        counts.add(Counter.TX_BUFFER_FULL, datagrams);
    }

    void sendError(int datagrams) {
        counts.add(Counter.TX_ERRORS, datagrams);
    }

    void oversized() {
        counts.increment(Counter.TX_OVERSIZED);
    }

    /** An unexpected exception while handling a received datagram; the datagram was dropped. */
    void receiveError() {
        counts.increment(Counter.RX_ERRORS);
    }

    /** Datagrams received on the VTEP's sockets. */
    public long rxDatagrams() {
        return counts.get(Counter.RX_DATAGRAMS);
    }

    /** Datagrams sent. */
    public long txDatagrams() {
        return counts.get(Counter.TX_DATAGRAMS);
    }

    @Override
    public void collect(MetricSink sink) {
        sink.sample(DATAGRAMS, MetricType.COUNTER, DATAGRAMS_HELP, RX, counts.get(Counter.RX_DATAGRAMS));
        sink.sample(DATAGRAMS, MetricType.COUNTER, DATAGRAMS_HELP, TX, counts.get(Counter.TX_DATAGRAMS));
        sink.sample(BYTES, MetricType.COUNTER, BYTES_HELP, RX, counts.get(Counter.RX_BYTES));
        sink.sample(BYTES, MetricType.COUNTER, BYTES_HELP, TX, counts.get(Counter.TX_BYTES));
        sink.sample("meshd_vtep_gso_sends_total", MetricType.COUNTER,
            "VTEP sends that carried several datagrams at once (UDP GSO)", Labels.none(),
            counts.get(Counter.TX_GSO_SENDS));
        sink.sample("meshd_vtep_batch_sends_total", MetricType.COUNTER,
            "VTEP sends that carried several separate datagrams at once (sendmmsg)", Labels.none(),
            counts.get(Counter.TX_BATCH_SENDS));
        error(sink, "rx-error", Counter.RX_ERRORS);
        error(sink, "tx-buffer-full", Counter.TX_BUFFER_FULL);
        error(sink, "tx-error", Counter.TX_ERRORS);
        error(sink, "tx-oversized", Counter.TX_OVERSIZED);
    }

    private void error(MetricSink sink, String error, Counter counter) {
        sink.sample(ERRORS, MetricType.COUNTER, ERRORS_HELP, Labels.of("error", error), counts.get(counter));
    }

    /** Every counter by its kebab-case name, in a stable order. */
    public Map<String, Long> snapshot() {
        return counts.snapshot();
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
