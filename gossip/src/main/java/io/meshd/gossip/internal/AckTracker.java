package io.meshd.gossip.internal;

import java.util.HashMap;
import java.util.Map;

/** Sequence numbers of outstanding pings and who waits for their ack or nack. */
final class AckTracker {

    /** Callbacks for one outstanding ping sequence number. */
    interface Handler {
        void onAck();

        void onNack();
    }

    private final Map<Long, Handler> handlers = new HashMap<>();
    private long nextSeq;

    /** A fresh sequence number whose acks and nacks go to {@code h} until {@link #forget}. */
    long register(Handler h) {
        long seq = nextSeq++;
        handlers.put(seq, h);
        return seq;
    }

    void forget(long seq) {
        handlers.remove(seq);
    }

    void ack(long seq) {
        Handler h = handlers.get(seq);
        if (h != null) {
            h.onAck();
        }
    }

    void nack(long seq) {
        Handler h = handlers.get(seq);
        if (h != null) {
            h.onNack();
        }
    }

    void clear() {
        handlers.clear();
    }
}
