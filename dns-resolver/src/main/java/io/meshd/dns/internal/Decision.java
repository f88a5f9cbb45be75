package io.meshd.dns.internal;

import io.meshd.dns.Rcode;

/**
 * What {@link QueryResolver} decided to answer a well-formed query with: the RCODE, whether the answer is
 * authoritative, and which records the {@link ResponseEncoder} writes. {@link #FORWARD} writes nothing: the query
 * goes upstream.
 */
enum Decision {
    /** The name exists: NOERROR with its records of the asked type (none outside the domain is an empty NOERROR). */
    RECORDS(Rcode.NOERROR, true),
    /** The name exists in the cluster domain without the asked type: NODATA, the domain's SOA in authority. */
    NO_DATA(Rcode.NOERROR, true),
    /** The cluster domain's apex asked for its SOA (or ANY): the SOA as the answer. */
    APEX_SOA(Rcode.NOERROR, true),
    /** A name under the cluster domain that does not exist: NXDOMAIN, the domain's SOA in authority. */
    NAME_ERROR(Rcode.NXDOMAIN, true),
    /** {@code localhost} and below (RFC 6761): A 127.0.0.1, AAAA ::1. */
    LOCALHOST(Rcode.NOERROR, true),
    /** {@code invalid} and names in locally served reverse zones (RFC 6761, RFC 6303): NXDOMAIN. */
    SPECIAL_NAME_ERROR(Rcode.NXDOMAIN, true),
    /** The apex of a locally served reverse zone: exists, no records. */
    EMPTY_ZONE_APEX(Rcode.NOERROR, true),
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
