package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.NameNode;
import io.meshd.dns.ResourceRecord;
import io.netty.buffer.ByteBuf;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The query path: parses one query straight from its bytes, decides the answer and writes the response. One
 * instance per event-loop thread (it keeps scratch state between calls); after warm-up it allocates nothing.
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
 * <p>Decisions, in order: under 12 bytes or QR=1 is dropped; an opcode other than QUERY gets NOTIMP; QDCOUNT other
 * than 1, a bad name or a short record gets FORMERR; EDNS version above 0 gets BADVERS; a class other than IN gets
 * REFUSED; then the mesh's names, the cluster domain (NXDOMAIN/NODATA with SOA), the special names, and finally
 * {@link #FORWARD}.
 */
public final class QueryProcessor {

    /** Nothing to send (the reason is counted). */
    public static final int DROP = 0;
    /** The response has been written. */
    public static final int ANSWERED = 1;
    /** The query is valid and not ours: forward it. Nothing has been written. */
    public static final int FORWARD = 2;

    /** Response codes (RFC 1035, RFC 6891 for BADVERS). */
    public static final int NOERROR = 0;
    /** Format error. */
    public static final int FORMERR = 1;
    /** Server failure. */
    public static final int SERVFAIL = 2;
    /** Name does not exist. */
    public static final int NXDOMAIN = 3;
    /** Not implemented. */
    public static final int NOTIMP = 4;
    /** Refused. */
    public static final int REFUSED = 5;
    /** Bad EDNS version (extended RCODE 16). */
    public static final int BADVERS = 16;

    static final int HEADER_LENGTH = 12;
    private static final int CLASS_IN = 1;
    private static final int TCP_LIMIT = 65535;
    private static final int OPT_LENGTH = 11;
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_AA = 0x0400;
    private static final int FLAG_TC = 0x0200;
    private static final int FLAG_RD = 0x0100;
    private static final int FLAG_RA = 0x0080;
    private static final int FLAG_CD = 0x0010;
    private static final int TYPE_IXFR = 251;
    private static final int TYPE_AXFR = 252;
    private static final ResourceRecord LOCALHOST_A;
    private static final ResourceRecord LOCALHOST_AAAA;

    static {
        try {
            LOCALHOST_A = ResourceRecord.a((Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
            byte[] v6 = new byte[16];
            v6[15] = 1;
            LOCALHOST_AAAA = ResourceRecord.aaaa((Inet6Address) InetAddress.getByAddress(v6), 0);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Responder responder;
    private final DnsCounters.Stripe counters;
    private final NameCompressor compressor = new NameCompressor();
    private final byte[] qname = new byte[WireNames.MAX_NAME_LENGTH + 1];
    private final byte[] relative = new byte[WireNames.MAX_NAME_LENGTH + 1];
    private int[] order = new int[16];

    private int queryStart;
    private int id;
    private int flags;
    private int qnameLength;
    private int questionEnd;
    private int qtype;
    private int qclass;
    private boolean edns;
    private int ednsPayload;
    private int ednsVersion;

    private int messageStart;
    private int limit;
    private int answerCount;
    private int authorityCount;
    private boolean truncated;

    /** A processor for one thread. */
    public QueryProcessor(Responder responder) {
        this.responder = responder;
        this.counters = responder.counters.stripe();
    }

    /**
     * Writes our own response with {@code rcode} (and TC if asked) for a query that {@link #handle} earlier
     * accepted, e.g. SERVFAIL when forwarding failed or a bare TC answer when an upstream's answer is too large for
     * the client's UDP limit.
     */
    public void respond(ByteBuf query, ByteBuf out, boolean tcp, int rcode, boolean tc) {
        if (parse(query) != ANSWERED) {
            throw new IllegalArgumentException("not a query this processor accepted");
        }
        begin(query, out, tcp, rcode, false, true);
        truncated = tc;
        finish(out, rcode);
    }

    /** Records the latency of one answer into this thread's counters. */
    public void recordLatency(long nanos) {
        counters.latency(nanos);
    }

    /** The UDP payload limit the last parsed query allows for its answer (512 without EDNS). */
    public int udpLimit() {
        return edns ? Math.max(512, Math.min(ednsPayload, responder.maxUdpPayload)) : 512;
    }

    /** The query type of the last parsed query. */
    public int queryType() {
        return qtype;
    }

    /** Parses header, question and OPT; answers errors itself by returning a verdict other than ANSWERED. */
    private int parse(ByteBuf query) {
        queryStart = query.readerIndex();
        int length = query.readableBytes();
        if (length < HEADER_LENGTH) {
            counters.drop(DnsCounters.Drop.TOO_SHORT);
            return DROP;
        }
        id = query.getUnsignedShort(queryStart);
        flags = query.getUnsignedShort(queryStart + 2);
        if ((flags & FLAG_QR) != 0) {
            counters.drop(DnsCounters.Drop.NOT_A_QUERY);
            return DROP;
        }
        edns = false;
        ednsVersion = 0;
        ednsPayload = 512;
        qnameLength = 0;
        questionEnd = queryStart + HEADER_LENGTH;
        qtype = 0;
        qclass = 0;
        if (((flags >> 11) & 0xF) != 0) {
            return -NOTIMP - 1;
        }
        if (query.getUnsignedShort(queryStart + 4) != 1) {
            return -FORMERR - 1;
        }
        int end = queryStart + length;
        int pos = readQuestionName(query, queryStart + HEADER_LENGTH, end);
        if (pos < 0 || pos + 4 > end) {
            qnameLength = 0;
            return -FORMERR - 1;
        }
        qtype = query.getUnsignedShort(pos);
        qclass = query.getUnsignedShort(pos + 2);
        questionEnd = pos + 4;
        int records = query.getUnsignedShort(queryStart + 6) + query.getUnsignedShort(queryStart + 8);
        int additional = query.getUnsignedShort(queryStart + 10);
        pos = questionEnd;
        for (int i = 0; i < records + additional; i++) {
            pos = readRecord(query, pos, end, i >= records);
            if (pos < 0) {
                edns = false;
                return -FORMERR - 1;
            }
        }
        if (edns && ednsVersion > 0) {
            return -BADVERS - 1;
        }
        if (qclass != CLASS_IN) {
            return -REFUSED - 1;
        }
        if (qtype == TYPE_AXFR || qtype == TYPE_IXFR) {
            return -REFUSED - 1;
        }
        return ANSWERED;
    }

    /** Copies the question name lower-cased into {@link #qname}; returns the offset after it, or -1. */
    private int readQuestionName(ByteBuf in, int pos, int end) {
        int n = 0;
        while (true) {
            if (pos >= end) {
                return -1;
            }
            int len = in.getUnsignedByte(pos++);
            if (len == 0) {
                qname[n++] = 0;
                qnameLength = n;
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

    /** Skips one record, noting an OPT in the additional section; returns the offset after it, or -1. */
    private int readRecord(ByteBuf in, int pos, int end, boolean additional) {
        int nameStart = pos;
        int hops = 0;
        while (true) {
            if (pos >= end) {
                return -1;
            }
            int len = in.getUnsignedByte(pos);
            if (len == 0) {
                pos++;
                break;
            }
            if ((len & 0xC0) == 0xC0) {
                pos += 2;
                break;
            }
            if ((len & 0xC0) != 0 || ++hops > 127) {
                return -1;
            }
            pos += len + 1;
        }
        if (pos + 10 > end) {
            return -1;
        }
        int type = in.getUnsignedShort(pos);
        int rdlength = in.getUnsignedShort(pos + 8);
        if (pos + 10 + rdlength > end) {
            return -1;
        }
        if (type == ResourceRecord.TYPE_OPT) {
            // RFC 6891 6.1.1: one OPT, in the additional section, owned by the root.
            if (!additional || edns || pos != nameStart + 1 || in.getByte(nameStart) != 0) {
                return -1;
            }
            edns = true;
            ednsPayload = in.getUnsignedShort(pos + 2);
            ednsVersion = in.getUnsignedByte(pos + 5);
        }
        return pos + 10 + rdlength;
    }

    private int answer(ByteBuf query, ByteBuf out, boolean tcp) {
        boolean inDomain = inDomain();
        NameNode node;
        if (inDomain) {
            // Records are relative to the cluster domain: strip it before the lookup.
            int relativeLength = qnameLength - responder.domain.length + 1;
            if (relativeLength == 1) {
                return answerApex(query, out, tcp);
            }
            System.arraycopy(qname, 0, relative, 0, relativeLength - 1);
            relative[relativeLength - 1] = 0;
            node = responder.view.find(relative, relativeLength);
        } else {
            node = responder.view.find(qname, qnameLength);
            if (node == NameNode.EMPTY_NON_TERMINAL) {
                node = NameNode.ABSENT;
            }
        }
        if (node.exists()) {
            begin(query, out, tcp, NOERROR, true, true);
            writeNode(node, out);
            if (answerCount == 0 && inDomain) {
                writeSoa(out);
            }
            return finish(out, NOERROR);
        }
        if (inDomain) {
            begin(query, out, tcp, NXDOMAIN, true, true);
            writeSoa(out);
            return finish(out, NXDOMAIN);
        }
        switch (SpecialNames.classify(qname, qnameLength)) {
            case SpecialNames.LOCALHOST:
                begin(query, out, tcp, NOERROR, true, true);
                if (qtype == ResourceRecord.TYPE_A || qtype == ResourceRecord.TYPE_ANY) {
                    writeRecord(out, LOCALHOST_A, responder.localTtl);
                } else if (qtype == ResourceRecord.TYPE_AAAA) {
                    writeRecord(out, LOCALHOST_AAAA, responder.localTtl);
                }
                return finish(out, NOERROR);
            case SpecialNames.NONEXISTENT:
                begin(query, out, tcp, NXDOMAIN, true, true);
                return finish(out, NXDOMAIN);
            case SpecialNames.EMPTY_ZONE_APEX:
                begin(query, out, tcp, NOERROR, true, true);
                return finish(out, NOERROR);
            default:
                break;
        }
        if (responder.forwarding) {
            return FORWARD;
        }
        begin(query, out, tcp, SERVFAIL, false, true);
        return finish(out, SERVFAIL);
    }

    /** The cluster domain's apex: its SOA, and NODATA with the SOA for every other type. */
    private int answerApex(ByteBuf query, ByteBuf out, boolean tcp) {
        begin(query, out, tcp, NOERROR, true, true);
        if (qtype == ResourceRecord.TYPE_SOA || qtype == ResourceRecord.TYPE_ANY) {
            writeRecord(out, responder.soa, responder.soa.ttl());
        } else {
            writeSoa(out);
        }
        return finish(out, NOERROR);
    }

    private boolean inDomain() {
        return responder.domain != null && WireNames.isAtOrBelow(qname, qnameLength, responder.domain);
    }

    /** Writes the error response an earlier parse step decided on ({@code verdict} is -rcode-1). */
    private int error(ByteBuf query, ByteBuf out, boolean tcp, int verdict) {
        int rcode = -verdict - 1;
        begin(query, out, tcp, rcode, false, qnameLength > 0);
        return finish(out, rcode);
    }

    /**
     * Handles one query: parses it, answers it or says to forward it.
     *
     * @param query the query message, between its reader and writer indexes (not consumed, not released)
     * @param out where the response is appended (for TCP the caller writes the length prefix first)
     * @param tcp whether the query came over TCP (answers up to 65535 bytes, never truncated to the UDP limit)
     * @return {@link #DROP}, {@link #ANSWERED} or {@link #FORWARD}
     */
    public int handle(ByteBuf query, ByteBuf out, boolean tcp) {
        int verdict = parse(query);
        if (qnameLength > 0) {
            counters.query(qtype);
        }
        if (verdict < 0) {
            return error(query, out, tcp, verdict);
        }
        if (verdict != ANSWERED) {
            return verdict;
        }
        return answer(query, out, tcp);
    }

    private void begin(ByteBuf query, ByteBuf out, boolean tcp, int rcode, boolean authoritative,
                       boolean withQuestion) {
        messageStart = out.writerIndex();
        compressor.reset();
        answerCount = 0;
        authorityCount = 0;
        truncated = false;
        limit = tcp ? TCP_LIMIT : udpLimit();
        int responseFlags = FLAG_QR | (flags & (0x7800 | FLAG_RD | FLAG_CD)) | (rcode & 0xF);
        if (authoritative) {
            responseFlags |= FLAG_AA;
        }
        if (responder.forwarding) {
            responseFlags |= FLAG_RA;
        }
        out.writeShort(id);
        out.writeShort(responseFlags);
        out.writeShort(withQuestion ? 1 : 0);
        out.writeShort(0);
        out.writeShort(0);
        out.writeShort(0);
        if (withQuestion) {
            // Echo the question exactly as sent (its letter case included: RFC 4343, 0x20 randomisation).
            out.writeBytes(query, queryStart + HEADER_LENGTH, questionEnd - queryStart - HEADER_LENGTH);
            compressor.remember(qname, qnameLength, qnameLength - 1, HEADER_LENGTH);
        }
    }

    private void writeNode(NameNode node, ByteBuf out) {
        int type = qtype;
        if (type == ResourceRecord.TYPE_ANY) {
            // RFC 8482: answer ANY with one RRset, the first the name has.
            if (node.size() == 0) {
                return;
            }
            type = node.record(0).type();
        }
        int n = 0;
        for (int i = 0; i < node.size(); i++) {
            if (node.record(i).type() == type) {
                if (n == order.length) {
                    order = java.util.Arrays.copyOf(order, n * 2);
                }
                order[n++] = i;
            }
        }
        // Shuffle per reply so clients that take the first address spread over every one (Fisher-Yates).
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < n && !truncated; i++) {
            ResourceRecord r = node.record(order[i]);
            writeRecord(out, r, r.ttl());
        }
    }

    private void writeSoa(ByteBuf out) {
        if (truncated || !fits(out, responder.soa, responder.domain.length)) {
            truncate(out);
            return;
        }
        compressor.write(out, responder.domain, messageStart);
        writeRecordBody(out, responder.soa, responder.soa.ttl());
        authorityCount++;
    }

    /** Appends an answer record owned by the question name (a pointer to offset 12). */
    private void writeRecord(ByteBuf out, ResourceRecord r, int ttl) {
        if (truncated || !fits(out, r, 2)) {
            truncate(out);
            return;
        }
        out.writeShort(0xC000 | HEADER_LENGTH);
        writeRecordBody(out, r, ttl);
        answerCount++;
    }

    private boolean fits(ByteBuf out, ResourceRecord r, int ownerLength) {
        int size = out.writerIndex() - messageStart + ownerLength + 10 + r.maxRdataLength() + (edns ? OPT_LENGTH : 0);
        return size <= limit;
    }

    private void writeRecordBody(ByteBuf out, ResourceRecord r, int ttl) {
        out.writeShort(r.type());
        out.writeShort(CLASS_IN);
        out.writeInt(ttl);
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        out.writeBytes(r.rdataHead());
        byte[][] names = r.rdataNames();
        for (byte[] name : names) {
            if (r.compressible()) {
                compressor.write(out, name, messageStart);
            } else {
                out.writeBytes(name);
            }
        }
        out.writeBytes(r.rdataTail());
        out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    }

    /** The answer does not fit: keep the question only and set TC so the client retries over TCP. */
    private void truncate(ByteBuf out) {
        truncated = true;
        answerCount = 0;
        authorityCount = 0;
        out.writerIndex(messageStart + questionEnd - queryStart);
    }

    private int finish(ByteBuf out, int rcode) {
        int additional = 0;
        if (edns) {
            // OPT: root owner, type 41, class = our payload size, TTL = extended RCODE, version 0, no DO.
            out.writeByte(0);
            out.writeShort(ResourceRecord.TYPE_OPT);
            out.writeShort(responder.maxUdpPayload);
            out.writeInt((rcode >> 4) << 24);
            out.writeShort(0);
            additional = 1;
        }
        if (truncated) {
            out.setShort(messageStart + 2, out.getUnsignedShort(messageStart + 2) | FLAG_TC);
            counters.truncated();
        }
        out.setShort(messageStart + 6, answerCount);
        out.setShort(messageStart + 8, authorityCount);
        out.setShort(messageStart + 10, additional);
        counters.answer(rcode);
        return ANSWERED;
    }
}
