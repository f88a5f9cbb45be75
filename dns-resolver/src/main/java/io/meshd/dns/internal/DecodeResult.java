package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Rcode;

/**
 * What {@link QueryDecoder} made of a message: a query to resolve, a message to drop without a word (with the
 * reason it is counted under), or a query to refuse with an error RCODE.
 */
enum DecodeResult {
    /** A well-formed query: resolve it. */
    QUERY(null, null),
    /** Shorter than the header: dropped. */
    TOO_SHORT(DnsCounters.Drop.TOO_SHORT, null),
    /** QR=1, a response: dropped (answering it could start a loop between two servers). */
    NOT_A_QUERY(DnsCounters.Drop.NOT_A_QUERY, null),
    /** An opcode other than QUERY: NOTIMP, header only. */
    NOT_IMPLEMENTED(null, Rcode.NOTIMP),
    /** A QDCOUNT other than 1, a broken name or a short record: FORMERR. */
    FORMAT_ERROR(null, Rcode.FORMERR),
    /** An EDNS version above 0: BADVERS. */
    BAD_VERSION(null, Rcode.BADVERS);

    private final DnsCounters.Drop drop;
    private final Rcode rcode;

    DecodeResult(DnsCounters.Drop drop, Rcode rcode) {
        this.drop = drop;
        this.rcode = rcode;
    }

    /** Whether the message is dropped without an answer. */
    boolean dropped() {
        return drop != null;
    }

    /** Whether the message is answered with an error RCODE right away. */
    boolean rejected() {
        return rcode != null;
    }

    /**
     * Why it is dropped.
     *
     * @throws IllegalStateException unless {@link #dropped()}
     */
    DnsCounters.Drop dropReason() {
        if (drop == null) {
            throw new IllegalStateException(this + " is not a drop");
        }
        return drop;
    }

    /**
     * The error to answer with.
     *
     * @throws IllegalStateException unless {@link #rejected()}
     */
    Rcode rcode() {
        if (rcode == null) {
            throw new IllegalStateException(this + " is not a rejection");
        }
        return rcode;
    }
}
