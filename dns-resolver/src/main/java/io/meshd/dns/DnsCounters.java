package io.meshd.dns;

import io.meshd.dns.internal.LatencyHistogram;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the responder did, counted without allocation: queries by type and by answer code, forwarding outcomes,
 * drops by reason and a latency histogram. Shared by every listener of one {@link DnsServer}.
 */
public final class DnsCounters {

    /** Why a packet was dropped without an answer. */
    public enum Drop {
        /** Shorter than the 12-byte header. */
        TOO_SHORT,
        /** QR=1: a response sent to us. */
        NOT_A_QUERY,
        /** An upstream answer that did not match any query we sent. */
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
        /** SERVFAIL or REFUSED from an upstream, so the next one was tried. */
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

    private final AtomicLongArray byType = new AtomicLongArray(TYPE_SLOTS);
    private final AtomicLongArray byRcode = new AtomicLongArray(RCODE_SLOTS);
    private final AtomicLongArray drops = new AtomicLongArray(Drop.values().length);
    private final AtomicLongArray forwards = new AtomicLongArray(Forward.values().length);
    private final AtomicLongArray truncated = new AtomicLongArray(1);
    private final LatencyHistogram latency = new LatencyHistogram();

    /** Counts a query of {@code type} (types above 255 share one slot). */
    public void query(int type) {
        byType.getAndIncrement(Math.min(type, TYPE_SLOTS - 1));
    }

    /** Counts an answer with response code {@code rcode} (extended codes included, e.g. 16 for BADVERS). */
    public void answer(int rcode) {
        byRcode.getAndIncrement(Math.min(rcode, RCODE_SLOTS - 1));
    }

    /** Counts a drop. */
    public void drop(Drop reason) {
        drops.getAndIncrement(reason.ordinal());
    }

    /** Counts a forwarding event. */
    public void forward(Forward event) {
        forwards.getAndIncrement(event.ordinal());
    }

    /** Counts an answer sent with TC=1. */
    public void truncated() {
        truncated.getAndIncrement(0);
    }

    /** The latency histogram (time from receiving a query to handing its answer to the transport). */
    public LatencyHistogram latency() {
        return latency;
    }

    /** Queries seen of {@code type}. */
    public long queries(int type) {
        return byType.get(Math.min(type, TYPE_SLOTS - 1));
    }

    /** Answers sent with {@code rcode}. */
    public long answers(int rcode) {
        return byRcode.get(Math.min(rcode, RCODE_SLOTS - 1));
    }

    /** Drops for {@code reason}. */
    public long drops(Drop reason) {
        return drops.get(reason.ordinal());
    }

    /** Forwarding events of one kind. */
    public long forwards(Forward event) {
        return forwards.get(event.ordinal());
    }

    /** Answers sent with TC=1. */
    public long truncatedAnswers() {
        return truncated.get(0);
    }

    /** A readable summary of every non-zero counter, for logs and the CLI. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        for (int t = 0; t < TYPE_SLOTS; t++) {
            putIfNonZero(m, "query.type." + (t == TYPE_SLOTS - 1 ? "other" : Integer.toString(t)), byType.get(t));
        }
        for (int r = 0; r < RCODE_SLOTS; r++) {
            putIfNonZero(m, "answer.rcode." + r, byRcode.get(r));
        }
        for (Drop d : Drop.values()) {
            putIfNonZero(m, "drop." + d.name().toLowerCase(java.util.Locale.ROOT), drops(d));
        }
        for (Forward f : Forward.values()) {
            putIfNonZero(m, "forward." + f.name().toLowerCase(java.util.Locale.ROOT), forwards(f));
        }
        putIfNonZero(m, "answer.truncated", truncatedAnswers());
        return m;
    }

    private static void putIfNonZero(Map<String, Long> m, String key, long v) {
        if (v != 0) {
            m.put(key, v);
        }
    }
}
