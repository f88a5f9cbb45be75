package io.meshd.dns.internal;

/**
 * One decoded query, as {@link QueryDecoder} leaves it: the header fields, the question name lower-cased into a
 * fixed array, where the question sits in the query's buffer, and what its OPT record asked for. One instance per
 * event-loop thread, overwritten by every decode, so decoding allocates nothing.
 *
 * <p>Fields are written by the decoder only and read by the resolver and the encoder of the same thread.
 */
final class DecodedQuery {

    /** Length of the fixed header (RFC 1035 section 4.1.1). */
    static final int HEADER_LENGTH = 12;
    /** The UDP answer limit without EDNS (RFC 1035 section 4.2.1). */
    static final int CLASSIC_UDP_LIMIT = 512;

    /** The query's ID. */
    int id;
    /** The query's flags word (QR, OPCODE, AA, TC, RD, RA, Z, AD, CD, RCODE). */
    int flags;
    /** The question name in lower-case wire form, root byte included; valid for {@link #qnameLength} bytes. */
    final byte[] qname = new byte[WireNames.MAX_NAME_LENGTH + 1];
    /** Length of {@link #qname}, or 0 when the question did not parse (then no question is echoed). */
    int qnameLength;
    /** Offset of the message's first byte in its buffer. */
    int messageStart;
    /** Offset just past the question (type and class included) in the query's buffer. */
    int questionEnd;
    /** QTYPE, 0 until the question parsed. */
    int qtype;
    /** QCLASS, 0 until the question parsed. */
    int qclass;
    /** Whether the query carries a valid OPT record (EDNS0, RFC 6891). */
    boolean edns;
    /** The UDP payload size the OPT record advertises. */
    int ednsPayload;
    /** The EDNS version the OPT record asks for. */
    int ednsVersion;
    /** The OPT record's DO bit (RFC 3225), copied into the answer's OPT. */
    boolean ednsDo;

    /** Forgets the previous query. */
    void reset(int start) {
        messageStart = start;
        id = 0;
        flags = 0;
        qnameLength = 0;
        questionEnd = start + HEADER_LENGTH;
        qtype = 0;
        qclass = 0;
        edns = false;
        ednsPayload = CLASSIC_UDP_LIMIT;
        ednsVersion = 0;
        ednsDo = false;
    }

    /** Whether the question parsed (and is echoed in the answer). */
    boolean hasQuestion() {
        return qnameLength > 0;
    }

    /** Length of the question section as sent (name, type and class). */
    int questionLength() {
        return questionEnd - messageStart - HEADER_LENGTH;
    }

    /** The largest UDP answer: 512 without EDNS, else the advertised size clamped to [512, {@code ourMax}]. */
    int udpLimit(int ourMax) {
        return edns ? Math.max(CLASSIC_UDP_LIMIT, Math.min(ednsPayload, ourMax)) : CLASSIC_UDP_LIMIT;
    }
}
