package io.meshd.dns;

import io.meshd.dns.internal.LatencyHistogram;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the responder did: queries by type and by answer code, forwarding outcomes, drops by reason and a latency
 * histogram. Shared by every listener of one {@link DnsServer}.
 *
 * <p>The query path counts into a {@link Stripe} of its own (one per event-loop thread, single writer, no lock
 * prefix, no shared cache line between threads); rarer events use the atomic methods here. Readers sum everything.
 */
public final class DnsCounters {

    /** Why a packet was dropped without an answer. */
    public enum Drop {
        /** Shorter than the 12-byte header. */
        TOO_SHORT,
        /** QR=1: a response sent to us. */
        NOT_A_QUERY,
        /** An upstream answer that did not match the query in flight (wrong ID or question, or too late). */
        UNEXPECTED_UPSTREAM_ANSWER,
        /** A TCP connection refused because the connection cap was reached. */
        TCP_CONNECTION_CAP,
        /** A TCP connection closed after its idle timeout. */
        TCP_IDLE,
        /** An exception on a channel (counted, never fatal to a listener). */
        CHANNEL_ERROR,
    }

    /** Outcomes of forwarded queries. */
    public enum Forward {
        /** Queries sent upstream. */
        SENT,
        /** Upstream answers relayed to the client. */
        RELAYED,
        /** Attempts that timed out. */
        TIMEOUT,
        /** SERVFAIL, REFUSED or a socket error from an upstream, so the next one was tried. */
        UPSTREAM_FAILED,
        /** Truncated upstream answers retried over TCP. */
        RETRIED_OVER_TCP,
        /** Every upstream failed: the client got SERVFAIL. */
        EXHAUSTED,
        /** Refused because too many queries were already in flight: the client got SERVFAIL. */
        OVER_CAPACITY,
    }

    private static final int TYPE_SLOTS = 257;
    private static final int RCODE_SLOTS = 24;
    private static final int TYPES = 0;
    private static final int RCODES = TYPES + TYPE_SLOTS;
    private static final int DROPS = RCODES + RCODE_SLOTS;
    private static final int FORWARDS = DROPS + Drop.values().length;
    private static final int TRUNCATED = FORWARDS + Forward.values().length;
    private static final int LATENCY = TRUNCATED + 1;
    private static final int SLOTS = LATENCY + LatencyHistogram.BUCKETS;

    private final AtomicLongArray shared = new AtomicLongArray(SLOTS);
    private final List<Stripe> stripes = new CopyOnWriteArrayList<>();

    /** A new stripe for one thread's query path; it is counted until the counters are dropped. */
    public Stripe stripe() {
        Stripe s = new Stripe();
        stripes.add(s);
        return s;
    }

    /** Counts a drop (any thread). */
    public void drop(Drop reason) {
        shared.getAndIncrement(DROPS + reason.ordinal());
    }

    /** Counts a forwarding event (any thread). */
    public void forward(Forward event) {
        shared.getAndIncrement(FORWARDS + event.ordinal());
    }

    /** Counts a query of {@code type} (any thread; types above 255 share one slot). */
    public void query(int type) {
        shared.getAndIncrement(TYPES + Math.min(type, TYPE_SLOTS - 1));
    }

    /** Counts an answer with {@code rcode} (any thread; extended codes included, e.g. 16 for BADVERS). */
    public void answer(int rcode) {
        shared.getAndIncrement(RCODES + Math.min(rcode, RCODE_SLOTS - 1));
    }

    private long sum(int slot) {
        long n = shared.get(slot);
        for (Stripe s : stripes) {
            n += s.slots.get(slot);
        }
        return n;
    }

    /** Queries seen of {@code type}. */
    public long queries(int type) {
        return sum(TYPES + Math.min(type, TYPE_SLOTS - 1));
    }

    /** Answers sent with {@code rcode}. */
    public long answers(int rcode) {
        return sum(RCODES + Math.min(rcode, RCODE_SLOTS - 1));
    }

    /** Drops for {@code reason}. */
    public long drops(Drop reason) {
        return sum(DROPS + reason.ordinal());
    }

    /** Forwarding events of one kind. */
    public long forwards(Forward event) {
        return sum(FORWARDS + event.ordinal());
    }

    /** Answers sent with TC=1. */
    public long truncatedAnswers() {
        return sum(TRUNCATED);
    }

    /** A snapshot of the latency histogram (time from receiving a query to handing its answer to the transport). */
    public LatencyHistogram latency() {
        long[] buckets = new long[LatencyHistogram.BUCKETS];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = sum(LATENCY + i);
        }
        return LatencyHistogram.of(buckets);
    }

    /** Every non-zero counter by name, for logs and the CLI. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        for (int t = 0; t < TYPE_SLOTS; t++) {
            putIfNonZero(m, "query.type." + (t == TYPE_SLOTS - 1 ? "other" : Integer.toString(t)), queries(t));
        }
        for (int r = 0; r < RCODE_SLOTS; r++) {
            putIfNonZero(m, "answer.rcode." + r, answers(r));
        }
        for (Drop d : Drop.values()) {
            putIfNonZero(m, "drop." + d.name().toLowerCase(Locale.ROOT), drops(d));
        }
        for (Forward f : Forward.values()) {
            putIfNonZero(m, "forward." + f.name().toLowerCase(Locale.ROOT), forwards(f));
        }
        putIfNonZero(m, "answer.truncated", truncatedAnswers());
        return m;
    }

    private static void putIfNonZero(Map<String, Long> m, String key, long v) {
        if (v != 0) {
            m.put(key, v);
        }
    }

    /**
     * Counters written by one thread only. Each increment is a plain read and an ordered store ({@code lazySet}):
     * no lock prefix, since there is a single writer, and readers on other threads see every value eventually.
     */
    public static final class Stripe {
        private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

        private Stripe() {
        }

        private void soIncrement(int slot) {
            // Single writer: get-then-lazySet cannot lose an update, and needs no atomic read-modify-write.
            slots.lazySet(slot, slots.get(slot) + 1);
        }

        /** Counts a query of {@code type}. */
        public void query(int type) {
            soIncrement(TYPES + Math.min(type, TYPE_SLOTS - 1));
        }

        /** Counts an answer with {@code rcode}. */
        public void answer(int rcode) {
            soIncrement(RCODES + Math.min(rcode, RCODE_SLOTS - 1));
        }

        /** Counts a drop. */
        public void drop(Drop reason) {
            soIncrement(DROPS + reason.ordinal());
        }

        /** Counts an answer sent with TC=1. */
        public void truncated() {
            soIncrement(TRUNCATED);
        }

        /** Records one latency in nanoseconds. */
        public void latency(long nanos) {
            soIncrement(LATENCY + LatencyHistogram.index(nanos));
        }
    }
}
