package io.meshd.vxlan.vtep;

import io.meshd.net.metrics.EnumCounters;
import java.util.Map;

/**
 * What a {@link UdpVtep} did: datagrams and bytes in and out, and the failures that are not drops of the codec
 * (those are counted by reason in the switch's drop counters). Increments allocate nothing and are safe from any
 * thread; {@link #snapshot()} is for the API and the CLI.
 */
public final class VtepCounters {

    /** The counters in the order the API and the CLI show them, named in kebab case ({@code rx-datagrams}). */
    private enum Counter {
        RX_DATAGRAMS, RX_BYTES, RX_ERRORS, TX_DATAGRAMS, TX_BYTES, TX_GSO_SENDS, TX_BUFFER_FULL, TX_ERRORS,
        TX_OVERSIZED
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

    /** Every counter by its kebab-case name, in a stable order. */
    public Map<String, Long> snapshot() {
        return counts.snapshot();
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
