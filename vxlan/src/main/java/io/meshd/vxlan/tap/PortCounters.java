package io.meshd.vxlan.tap;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Frames and bytes through one TAP port, and its failures; allocation-free increments from any thread. */
public final class PortCounters {

    private final LongAdder rxFrames = new LongAdder();
    private final LongAdder rxBytes = new LongAdder();
    private final LongAdder txFrames = new LongAdder();
    private final LongAdder txBytes = new LongAdder();
    private final LongAdder txDropped = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder superFrames = new LongAdder();
    private final LongAdder txCoalesced = new LongAdder();

    /** TAP reads per queue; each is incremented by that queue's reader only. */
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
        rxFrames.increment();
        rxBytes.add(bytes);
    }

    void written(int bytes) {
        txFrames.increment();
        txBytes.add(bytes);
    }

    /** A TSO super-frame was read and cut into {@code segments} frames of {@code bytes} in all. */
    void superFrame(int segments, long bytes) {
        superFrames.increment();
        rxFrames.add(segments);
        rxBytes.add(bytes);
    }

    /** A super-frame of {@code segments} coalesced frames was written. */
    void written(int bytes, int segments) {
        txFrames.add(segments);
        txBytes.add(bytes);
        if (segments > 1) {
            txCoalesced.increment();
        }
    }

    void writeDropped() {
        txDropped.increment();
    }

    void error() {
        errors.increment();
    }

    /** Frames read from the container. */
    public long rxFrames() {
        return rxFrames.sum();
    }

    /** Frames written to the container. */
    public long txFrames() {
        return txFrames.sum();
    }

    /** Every counter by its kebab-case name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rx-frames", rxFrames.sum());
        m.put("rx-bytes", rxBytes.sum());
        m.put("rx-tso-frames", superFrames.sum());
        m.put("tx-frames", txFrames.sum());
        m.put("tx-bytes", txBytes.sum());
        m.put("tx-gro-frames", txCoalesced.sum());
        m.put("tx-dropped", txDropped.sum());
        m.put("errors", errors.sum());
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
