package io.meshd.dns.internal;

import io.meshd.dns.Rcode;

/**
 * What {@link QueryResolver} decided to answer a well-formed query with: the RCODE, whether the answer is
 * authoritative, and which records the {@link ResponseEncoder} writes. {@link #FORWARD} writes nothing: the query
 * goes upstream.
 */
enum Decision {
    /**
     * The name has records of the asked type, or is a mesh name outside every local zone: NOERROR with its records
     * of the asked type (none is an empty NOERROR), plus the addresses of SRV and NS targets in the additional section.
     */
    RECORDS(Rcode.NOERROR, true),
    /**
     * The name exists without the asked type, or exists only because names exist below it (RFC 8020): NODATA, with
     * the SOA of its local zone in authority when it is in one.
     */
    NO_DATA(Rcode.NOERROR, true),
    /** A name in a local zone (the cluster domain, {@code invalid}, ...) that does not exist: NXDOMAIN and the SOA. */
    NAME_ERROR(Rcode.NXDOMAIN, true),
    /** {@code localhost} and below (RFC 6761): A 127.0.0.1, AAAA ::1. */
    LOCALHOST(Rcode.NOERROR, true),
    /** A class other than IN, or a zone transfer: REFUSED. */
    REFUSED(Rcode.REFUSED, false),
    /** Not ours and no upstream to ask: SERVFAIL. */
    NO_UPSTREAM(Rcode.SERVFAIL, false),
    /** Not ours: forward it upstream. */
    FORWARD(Rcode.NOERROR, false);

    private final Rcode rcode;
    private final boolean authoritative;

    Decision(Rcode rcode, boolean authoritative) {
        this.rcode = rcode;
        this.authoritative = authoritative;
    }

    /** The answer's RCODE (meaningless for {@link #FORWARD}). */
    Rcode rcode() {
        return rcode;
    }

    /** Whether the answer carries AA. */
    boolean authoritative() {
        return authoritative;
    }
}
