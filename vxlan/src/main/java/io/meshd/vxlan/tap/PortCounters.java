package io.meshd.vxlan.tap;

import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricSink;
import io.meshd.net.metrics.MetricType;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Frames and bytes through one TAP port, and its failures; allocation-free increments from any thread. */
public final class PortCounters {

    /** The counters in the order the API and the CLI show them, named in kebab case ({@code rx-tso-frames}). */
    private enum Counter {
        RX_FRAMES, RX_BYTES, RX_TSO_FRAMES, TX_FRAMES, TX_BYTES, TX_GRO_FRAMES, TX_DROPPED, ERRORS
    }

    private final EnumCounters<Counter> counts = new EnumCounters<>(Counter.class,
        "meshd_tap_events_total", "TAP port frames, bytes and failures, by event", "event");

    /**
     * TAP reads per queue ({@code rx-reads-queue-N}: as many as the TAP has queues, so not an enum): reads that
     * returned a frame or a super-frame (not the empty read that ends a poll); each is incremented by the poller
     * thread that serves that queue only.
     */
    private final LongAdder[] queueReads;

    PortCounters(int queues) {
        queueReads = new LongAdder[queues];
        for (int q = 0; q < queues; q++) {
            queueReads[q] = new LongAdder();
        }
    }

    /** One read (a frame or a super-frame) came from queue {@code queue}. */
    void queueRead(int queue) {
        queueReads[queue].increment();
    }

    /** Reads from TAP queue {@code queue} (0 to the queue count - 1): a frame or a super-frame each. */
    public long queueReads(int queue) {
        return queueReads[queue].sum();
    }

    void read(int bytes) {
        counts.increment(Counter.RX_FRAMES);
        counts.add(Counter.RX_BYTES, bytes);
    }

    void written(int bytes) {
        counts.increment(Counter.TX_FRAMES);
        counts.add(Counter.TX_BYTES, bytes);
    }

    /** A TSO super-frame was read and cut into {@code segments} frames of {@code bytes} in all. */
    void superFrame(int segments, long bytes) {
        counts.increment(Counter.RX_TSO_FRAMES);
        counts.add(Counter.RX_FRAMES, segments);
        counts.add(Counter.RX_BYTES, bytes);
    }

    /** A super-frame of {@code segments} coalesced frames was written. */
    void written(int bytes, int segments) {
        counts.add(Counter.TX_FRAMES, segments);
        counts.add(Counter.TX_BYTES, bytes);
        if (segments > 1) {
            counts.increment(Counter.TX_GRO_FRAMES);
        }
    }

    void writeDropped() {
        counts.increment(Counter.TX_DROPPED);
    }

    void error() {
        counts.increment(Counter.ERRORS);
    }

    /** Frames read from the container. */
    public long rxFrames() {
        return counts.get(Counter.RX_FRAMES);
    }

    /** Frames written to the container. */
    public long txFrames() {
        return counts.get(Counter.TX_FRAMES);
    }

    /**
     * Reports this port's counters with {@code port}'s labels added: {@code meshd_tap_frames_total{direction}} and
     * {@code meshd_tap_bytes_total{direction}} ({@code rx}: read from the container, {@code tx}: written to it),
     * {@code meshd_tap_offload_frames_total{kind="tso-read|gro-write"}} and
     * {@code meshd_tap_errors_total{error="tx-dropped|io-error"}}.
     *
     * @param sink where the samples go
     * @param port the labels naming the port
     */
    public void collect(MetricSink sink, Labels port) {
        counter(sink, "meshd_tap_frames_total", "Frames through TAP ports, by port and direction", port,
            "direction", "rx", Counter.RX_FRAMES);
        counter(sink, "meshd_tap_frames_total", "Frames through TAP ports, by port and direction", port,
            "direction", "tx", Counter.TX_FRAMES);
        counter(sink, "meshd_tap_bytes_total", "Bytes of the frames through TAP ports, by port and direction", port,
            "direction", "rx", Counter.RX_BYTES);
        counter(sink, "meshd_tap_bytes_total", "Bytes of the frames through TAP ports, by port and direction", port,
            "direction", "tx", Counter.TX_BYTES);
        counter(sink, "meshd_tap_offload_frames_total",
            "TSO super-frames read and GRO super-frames written on TAP ports", port, "kind", "tso-read",
            Counter.RX_TSO_FRAMES);
        counter(sink, "meshd_tap_offload_frames_total",
            "TSO super-frames read and GRO super-frames written on TAP ports", port, "kind", "gro-write",
            Counter.TX_GRO_FRAMES);
        counter(sink, "meshd_tap_errors_total", "TAP port failures: frames not written, read or write errors",
            port, "error", "tx-dropped", Counter.TX_DROPPED);
        counter(sink, "meshd_tap_errors_total", "TAP port failures: frames not written, read or write errors",
            port, "error", "io-error", Counter.ERRORS);
    }

    private void counter(MetricSink sink, String name, String help, Labels port, String label, String value,
        Counter counter) {
        sink.sample(name, MetricType.COUNTER, help, port.and(label, value), counts.get(counter));
    }

    /** Every counter by its kebab-case name, then the reads per queue if the TAP has more than one. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = counts.snapshot();
        if (queueReads.length > 1) {
            for (int q = 0; q < queueReads.length; q++) {
                m.put("rx-reads-queue-" + q, queueReads[q].sum());
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
