package io.meshd.dns.internal;

import io.meshd.dns.ResourceRecord;
import io.netty.buffer.ByteBuf;

/**
 * Reads one query straight from its bytes into a {@link DecodedQuery}: header, question (name lower-cased) and the
 * OPT record of the additional section. Stateless: everything it learns goes into the {@code DecodedQuery} it is given.
 * The query's buffer is read with absolute indexes, never consumed.
 *
 * <p>Header layout (RFC 1035 section 4.1.1), offsets in bytes:
 * <pre>
 *  0      2      4        6        8        10       12
 *  +------+------+--------+--------+--------+--------+----------- ...
 *  |  ID  |flags |QDCOUNT |ANCOUNT |NSCOUNT |ARCOUNT | question
 *  +------+------+--------+--------+--------+--------+----------- ...
 *  flags: QR(1) OPCODE(4) AA TC RD RA Z AD CD RCODE(4)
 * </pre>
 *
 * <p>Checks, in order: under 12 bytes or QR=1 is dropped; an opcode other than QUERY is NOTIMP; QDCOUNT other than
 * 1, a name with a pointer or an extended label, a name over 255 bytes, a record past the end or a misplaced or
 * second OPT is FORMERR; an EDNS version above 0 is BADVERS. NOTIMP and FORMERR still look for the OPT record (every
 * question skipped, whatever QDCOUNT says) so the error answer carries OPT when it can be found (RFC 6891 section 7).
 */
final class QueryDecoder {

    private static final int FLAG_QR = 0x8000;
    /** More labels than a 255-byte name can hold means a loop of labels, not a name. */
    private static final int MAX_LABELS = 127;

    private QueryDecoder() {
    }

    /**
     * Decodes the message between {@code in}'s reader and writer indexes into {@code query}.
     *
     * @return {@link DecodeResult#QUERY}, or why the message is dropped or refused
     */
    static DecodeResult decode(ByteBuf in, DecodedQuery query) {
        int start = in.readerIndex();
        query.reset(start);
        if (in.readableBytes() < DecodedQuery.HEADER_LENGTH) {
            return DecodeResult.TOO_SHORT;
        }
        query.id = in.getUnsignedShort(start);
        query.flags = in.getUnsignedShort(start + 2);
        if ((query.flags & FLAG_QR) != 0) {
            return DecodeResult.NOT_A_QUERY;
        }
        int end = in.writerIndex();
        if (((query.flags >> 11) & 0xF) != 0) {
            findOpt(in, query, end);
            return DecodeResult.NOT_IMPLEMENTED;
        }
        if (in.getUnsignedShort(start + 4) != 1) {
            findOpt(in, query, end);
            return DecodeResult.FORMAT_ERROR;
        }
        int pos = readQuestionName(in, start + DecodedQuery.HEADER_LENGTH, end, query);
        if (pos < 0 || pos + 4 > end) {
            query.qnameLength = 0;
            findOpt(in, query, end);
            return DecodeResult.FORMAT_ERROR;
        }
        query.qtype = in.getUnsignedShort(pos);
        query.qclass = in.getUnsignedShort(pos + 2);
        query.questionEnd = pos + 4;
        if (!readRecords(in, query, query.questionEnd, end)) {
            query.edns = false;
            query.ednsDo = false;
            return DecodeResult.FORMAT_ERROR;
        }
        if (query.edns && query.ednsVersion > 0) {
            return DecodeResult.BAD_VERSION;
        }
        return DecodeResult.QUERY;
    }

    /** Copies the question name lower-cased into the query; returns the offset after it, or -1. */
    private static int readQuestionName(ByteBuf in, int from, int end, DecodedQuery query) {
        byte[] qname = query.qname;
        int pos = from;
        int n = 0;
        while (true) {
            if (pos >= end) {
                return -1;
            }
            int len = in.getUnsignedByte(pos++);
            if (len == 0) {
                qname[n++] = 0;
                query.qnameLength = n;
                return pos;
            }
            // Pointers and extended label types have no business in a question.
            if ((len & 0xC0) != 0 || pos + len > end || n + len + 2 > WireNames.MAX_NAME_LENGTH) {
                return -1;
            }
            qname[n++] = (byte) len;
            for (int i = 0; i < len; i++) {
                byte b = in.getByte(pos++);
                qname[n++] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
            }
        }
    }

    /**
     * For a message refused before its records were read: skips QDCOUNT questions (names as records' owners, a final
     * pointer allowed) and reads the records, so a well-placed OPT is noted; any fault leaves the query without EDNS.
     */
    private static void findOpt(ByteBuf in, DecodedQuery query, int end) {
        int start = query.messageStart;
        int questions = in.getUnsignedShort(start + 4);
        int pos = start + DecodedQuery.HEADER_LENGTH;
        for (int i = 0; i < questions && pos >= 0; i++) {
            pos = skipName(in, pos, end);
            pos = pos < 0 || pos + 4 > end ? -1 : pos + 4;
        }
        if (pos < 0 || !readRecords(in, query, pos, end)) {
            query.edns = false;
            query.ednsDo = false;
            query.ednsPayload = DecodedQuery.CLASSIC_UDP_LIMIT;
        }
    }

    /** Walks the answer, authority and additional sections from {@code from}; false if one is malformed. */
    private static boolean readRecords(ByteBuf in, DecodedQuery query, int from, int end) {
        int start = query.messageStart;
        int records = in.getUnsignedShort(start + 6) + in.getUnsignedShort(start + 8);
        int additional = in.getUnsignedShort(start + 10);
        int pos = from;
        for (int i = 0; i < records + additional; i++) {
            pos = readRecord(in, pos, end, i >= records, query);
            if (pos < 0) {
                return false;
            }
        }
        return true;
    }

    /** Skips one record, noting an OPT in the additional section; returns the offset after it, or -1. */
    private static int readRecord(ByteBuf in, int from, int end, boolean additional, DecodedQuery query) {
        int pos = skipName(in, from, end);
        if (pos < 0 || pos + 10 > end) {
            return -1;
        }
        int type = in.getUnsignedShort(pos);
        int rdlength = in.getUnsignedShort(pos + 8);
        if (pos + 10 + rdlength > end) {
            return -1;
        }
        if (type == ResourceRecord.TYPE_OPT) {
            // RFC 6891 6.1.1: one OPT, in the additional section, owned by the root.
            if (!additional || query.edns || pos != from + 1 || in.getByte(from) != 0) {
                return -1;
            }
            query.edns = true;
            query.ednsPayload = in.getUnsignedShort(pos + 2);
            query.ednsVersion = in.getUnsignedByte(pos + 5);
            query.ednsDo = (in.getUnsignedShort(pos + 6) & 0x8000) != 0;
        }
        return pos + 10 + rdlength;
    }

    /** Skips a record's owner name (which may end in a pointer, never followed); returns the offset after it. */
    private static int skipName(ByteBuf in, int from, int end) {
        int pos = from;
        int labels = 0;
        while (true) {
            if (pos >= end) {
                return -1;
            }
            int len = in.getUnsignedByte(pos);
            if (len == 0) {
                return pos + 1;
            }
            if ((len & 0xC0) == 0xC0) {
                return pos + 2;
            }
            if ((len & 0xC0) != 0 || ++labels > MAX_LABELS) {
                return -1;
            }
            pos += len + 1;
        }
    }
}
