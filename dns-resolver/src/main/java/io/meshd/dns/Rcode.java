package io.meshd.dns;

/** The response codes the responder answers with (RFC 1035; RFC 6891 for the extended BADVERS). */
public enum Rcode {
    /** No error. */
    NOERROR(0),
    /** Format error: the query could not be parsed. */
    FORMERR(1),
    /** Server failure (no upstream answered, or none is configured). */
    SERVFAIL(2),
    /** The name does not exist. */
    NXDOMAIN(3),
    /** Not implemented (an opcode other than QUERY). */
    NOTIMP(4),
    /** Refused (a class other than IN, zone transfers). */
    REFUSED(5),
    /** Bad EDNS version: extended RCODE 16, carried half in the header and half in the OPT record. */
    BADVERS(16);

    private final int value;

    Rcode(int value) {
        this.value = value;
    }

    /** The numeric code (up to 12 bits; the header holds the low 4). */
    public int value() {
        return value;
    }
}
