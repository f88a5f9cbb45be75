package io.meshd.dns;

import io.meshd.dns.internal.LatencyHistogram;
import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricSink;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the responder did, exported as {@code meshd_dns_*} metrics: queries by type, answers by RCODE, truncated
 * answers, drops by reason, forwarding outcomes and the answer latency. Shared by every listener of one
 * {@link DnsServer}.
 *
 * <p>Drops and forwarding outcomes happen on any thread and are {@link EnumCounters}. The four counts every query
 * makes (its type, its RCODE, TC, its latency) go into a {@link Stripe} owned by one event-loop thread: a single
 * writer needs no atomic read-modify-write, only an ordered store, and a stripe also holds the latency buckets an
 * enum cannot name. Readers sum the stripes.
 */
public final class DnsCounters implements MetricSource {

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

    private static final String QUERIES = "meshd_dns_queries_total";
    private static final String ANSWERS = "meshd_dns_answers_total";
    private static final String TRUNCATED_ANSWERS = "meshd_dns_truncated_answers_total";
    private static final String LATENCY_BUCKET = "meshd_dns_answer_latency_seconds_bucket";
    private static final String LATENCY_COUNT = "meshd_dns_answer_latency_seconds_count";
    private static final String LATENCY_HELP = "Answers sent within le seconds of their query's arrival "
        + "(cumulative, as a Prometheus histogram's buckets)";
    /** Exported latency bounds: 2^10 ns (about 1 us) to 2^32 ns (about 4.3 s), every fourfold step. */
    private static final int FIRST_BOUND_BITS = 10;
    private static final int LAST_BOUND_BITS = 32;

    private static final QueryType[] TYPES = QueryType.values();
    private static final Rcode[] RCODES = Rcode.values();
    private static final int TYPE_SLOTS = 0;
    private static final int RCODE_SLOTS = TYPE_SLOTS + TYPES.length;
    private static final int TRUNCATED = RCODE_SLOTS + RCODES.length;
    private static final int LATENCY = TRUNCATED + 1;
    private static final int SLOTS = LATENCY + LatencyHistogram.BUCKETS;

    private final EnumCounters<Drop> drops = new EnumCounters<>(Drop.class, "meshd_dns_drops_total",
        "Packets and connections dropped without an answer, by reason", "reason");
    private final EnumCounters<Forward> forwards = new EnumCounters<>(Forward.class, "meshd_dns_forwards_total",
        "Forwarding events: queries sent upstream and their outcomes", "outcome");
    private final List<Stripe> stripes = new CopyOnWriteArrayList<>();

    /** A new stripe for one thread's query path; it is counted until the counters are dropped. */
    public Stripe stripe() {
        Stripe s = new Stripe();
        stripes.add(s);
        return s;
    }

    /** Counts a drop (any thread). */
    public void drop(Drop reason) {
        drops.increment(reason);
    }

    /** Counts a forwarding event (any thread). */
    public void forward(Forward event) {
        forwards.increment(event);
    }

    private long sum(int slot) {
        long n = 0;
        for (Stripe s : stripes) {
            n += s.slots.get(slot);
        }
        return n;
    }

    /** Queries seen of {@code type}. */
    public long queries(QueryType type) {
        return sum(TYPE_SLOTS + type.ordinal());
    }

    /** Answers sent with {@code rcode}. */
    public long answers(Rcode rcode) {
        return sum(RCODE_SLOTS + rcode.ordinal());
    }

    /** Drops for {@code reason}. */
    public long drops(Drop reason) {
        return drops.get(reason);
    }

    /** Forwarding events of one kind. */
    public long forwards(Forward event) {
        return forwards.get(event);
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

    @Override
    public void collect(MetricSink sink) {
        for (QueryType t : TYPES) {
            sink.sample(QUERIES, MetricType.COUNTER, "Queries received, by query type", Labels.of("type",
                t.name()), queries(t));
        }
        for (Rcode r : RCODES) {
            sink.sample(ANSWERS, MetricType.COUNTER, "Answers the responder wrote itself, by RCODE",
                Labels.of("rcode", r.name()), answers(r));
        }
        sink.sample(TRUNCATED_ANSWERS, MetricType.COUNTER, "Answers sent with TC=1 (the client retries over TCP)",
            Labels.none(), truncatedAnswers());
        drops.collect(sink);
        forwards.collect(sink);
        collectLatency(sink);
    }

    private void collectLatency(MetricSink sink) {
        LatencyHistogram histogram = latency();
        for (int bits = FIRST_BOUND_BITS; bits <= LAST_BOUND_BITS; bits += 2) {
            long bound = 1L << bits;
            String le = BigDecimal.valueOf(bound).movePointLeft(9).stripTrailingZeros().toPlainString();
            sink.sample(LATENCY_BUCKET, MetricType.GAUGE, LATENCY_HELP, Labels.of("le", le),
                histogram.countBelow(bound));
        }
        sink.sample(LATENCY_BUCKET, MetricType.GAUGE, LATENCY_HELP, Labels.of("le", "+Inf"), histogram.count());
        sink.sample(LATENCY_COUNT, MetricType.GAUGE, "Answers whose latency was recorded", Labels.none(),
            histogram.count());
    }

    /** Every non-zero counter as {@code name{labels}}, for logs and the CLI. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        collect((name, type, help, labels, value) -> {
            if (type == MetricType.COUNTER && value != 0) {
                m.put(name + (labels.names().isEmpty() ? "" : labels.toString()), (long) value);
            }
        });
        return m;
    }

    /**
     * The counters one event-loop thread writes on its query path. Each increment is a plain read and an ordered
     * store ({@code lazySet}): no lock prefix, since there is a single writer, and readers on other threads see every
     * value eventually.
     */
    public static final class Stripe {
        private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

        private Stripe() {
        }

        private void soIncrement(int slot) {
            // Single writer: get-then-lazySet cannot lose an update, and needs no atomic read-modify-write.
            slots.lazySet(slot, slots.get(slot) + 1);
        }

        /** Counts a query of numeric type {@code type}. */
        public void query(int type) {
            soIncrement(TYPE_SLOTS + QueryType.of(type).ordinal());
        }

        /** Counts an answer with {@code rcode}. */
        public void answer(Rcode rcode) {
            soIncrement(RCODE_SLOTS + rcode.ordinal());
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
