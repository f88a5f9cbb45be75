package io.meshd.vxlan.vtep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link UdpVtep} did: datagrams and bytes in and out, and the failures that are not drops of the codec
 * (those are counted by reason in the switch's drop counters). Increments allocate nothing and are safe from any
 * thread; {@link #snapshot()} is for the API and the CLI.
 */
public final class VtepCounters {

    private final LongAdder rxDatagrams = new LongAdder();
    private final LongAdder rxBytes = new LongAdder();
    private final LongAdder txDatagrams = new LongAdder();
    private final LongAdder txBytes = new LongAdder();
    private final LongAdder txFull = new LongAdder();
    private final LongAdder txGsoSends = new LongAdder();
    private final LongAdder txErrors = new LongAdder();
    private final LongAdder txOversized = new LongAdder();
    private final LongAdder rxErrors = new LongAdder();

    VtepCounters() {
    }

    void received(int bytes) {
        rxDatagrams.increment();
        rxBytes.add(bytes);
    }

    void sent(int datagrams, int bytes) {
        txDatagrams.add(datagrams);
        txBytes.add(bytes);
        if (datagrams > 1) {
            txGsoSends.increment();
        }
    }

    /** The socket buffer was full (non-blocking send returned nothing): dropped like on a full queue. */
    void sendBufferFull(int datagrams) {
        txFull.add(datagrams);
    }

    void sendError(int datagrams) {
        txErrors.add(datagrams);
    }

    void oversized() {
        txOversized.increment();
    }

    /** An unexpected exception while handling a received datagram; the datagram was dropped. */
    void receiveError() {
        rxErrors.increment();
    }

    /** Datagrams received on the VTEP's sockets. */
    public long rxDatagrams() {
        return rxDatagrams.sum();
    }

    /** Datagrams sent. */
    public long txDatagrams() {
        return txDatagrams.sum();
    }

    /** Every counter by its kebab-case name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rx-datagrams", rxDatagrams.sum());
        m.put("rx-bytes", rxBytes.sum());
        m.put("rx-errors", rxErrors.sum());
        m.put("tx-datagrams", txDatagrams.sum());
        m.put("tx-bytes", txBytes.sum());
        m.put("tx-gso-sends", txGsoSends.sum());
        m.put("tx-buffer-full", txFull.sum());
        m.put("tx-errors", txErrors.sum());
        m.put("tx-oversized", txOversized.sum());
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
