package io.meshd.dns.internal;

import io.meshd.dns.NameNode;
import io.meshd.dns.Rcode;
import io.meshd.dns.ResourceRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes one response into a buffer: the header, the question echoed as sent, answer, authority and additional
 * records with name compression, the OPT record when the query had one (its DO bit copied, RFC 3225), and TC when
 * the answer or authority records do not fit the size limit (the answer is then cut back to the question, never to
 * a partial RRset). Additional records that do not fit are left out whole RRsets at a time, without TC (RFC 2181
 * section 9). Every RRset is written with one TTL, the lowest of its records (RFC 2181 section 5.2). One instance per
 * event-loop thread, reused for every message after {@link #begin}; after warm-up it allocates nothing.
 *
 * <p>Use: {@link #begin}, any number of {@code write*} calls, {@link #finish}.
 */
final class ResponseEncoder {

    private static final int CLASS_IN = 1;
    private static final int OPT_LENGTH = 11;
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_AA = 0x0400;
    private static final int FLAG_TC = 0x0200;
    private static final int FLAG_RD = 0x0100;
    private static final int FLAG_RA = 0x0080;
    private static final int FLAG_CD = 0x0010;
    /** OPCODE, RD and CD are copied from the query. */
    private static final int COPIED_FLAGS = 0x7800 | FLAG_RD | FLAG_CD;
    private static final int POINTER_TO_QUESTION = 0xC000 | DecodedQuery.HEADER_LENGTH;
    private static final int OPT_DO = 0x8000;

    private final Responder responder;
    private final NameCompressor compressor = new NameCompressor();
    private int[] order = new int[16];

    private DecodedQuery query = new DecodedQuery();
    /** The buffer of the response being written; the empty buffer between responses (nothing kept alive). */
    private ByteBuf out = Unpooled.EMPTY_BUFFER;
    private int messageStart;
    private int limit;
    private int answerCount;
    private int authorityCount;
    private int additionalCount;
    /** An additional RRset did not fit: no more are tried. */
    private boolean additionalFull;
    private boolean truncated;
    /** The node whose records {@link #writeRecords} wrote, {@link #order} holding their indexes. */
    private NameNode answered = NameNode.ABSENT;

    ResponseEncoder(Responder responder) {
        this.responder = responder;
    }

    /**
     * Starts a response to {@code query} at {@code out}'s writer index.
     *
     * @param in the query's buffer, for the question echoed as sent (its letter case included: RFC 4343, 0x20
     *           randomisation)
     * @param limit the most bytes the response may take (records that do not fit set TC)
     * @param withQuestion whether to echo the question (only when it parsed)
     */
    void begin(DecodedQuery q, ByteBuf in, ByteBuf response, int limit, Rcode rcode, boolean authoritative,
               boolean withQuestion) {
        query = q;
        out = response;
        messageStart = out.writerIndex();
        compressor.reset();
        answerCount = 0;
        authorityCount = 0;
        additionalCount = 0;
        additionalFull = false;
        truncated = false;
        answered = NameNode.ABSENT;
        this.limit = limit;
        int flags = FLAG_QR | (q.flags & COPIED_FLAGS) | (rcode.value() & 0xF);
        if (authoritative) {
            flags |= FLAG_AA;
        }
        if (responder.forwarding) {
            flags |= FLAG_RA;
        }
        out.writeShort(q.id);
        out.writeShort(flags);
        out.writeShort(withQuestion ? 1 : 0);
        // ANCOUNT, NSCOUNT, ARCOUNT, set in finish. Not writeZero: on a direct buffer that is Unsafe.setMemory, a
        // call into the VM that took 2% of the server's CPU under dnsperf (perf: Copy::fill_to_memory_atomic).
        out.writeInt(0);
        out.writeShort(0);
        if (withQuestion) {
            out.writeBytes(in, q.messageStart + DecodedQuery.HEADER_LENGTH, q.questionLength());
            compressor.remember(q.qname, q.qnameLength, q.qnameLength - 1, DecodedQuery.HEADER_LENGTH);
        }
    }

    /**
     * Writes the node's records of the query's type, shuffled per reply so clients that take the first address
     * spread over every one (Fisher-Yates over the record indexes). ANY gets one RRset, the name's first (RFC 8482).
     */
    void writeRecords(NameNode node) {
        int type = query.qtype;
        if (type == ResourceRecord.TYPE_ANY) {
            if (node.size() == 0) {
                return;
            }
            type = node.record(0).type();
        }
        int n = 0;
        int ttl = Integer.MAX_VALUE;
        for (int i = 0; i < node.size(); i++) {
            ResourceRecord r = node.record(i);
            if (r.type() == type) {
                if (n == order.length) {
                    order = Arrays.copyOf(order, n * 2);
                }
                order[n++] = i;
                ttl = Math.min(ttl, r.ttl());
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        answered = node;
        for (int i = 0; i < n && !truncated; i++) {
            writeAnswer(node.record(order[i]), ttl);
        }
    }

    /** How many records the answer section holds so far. */
    int answerCount() {
        return answerCount;
    }

    /** The {@code index}th record {@link #writeRecords} put in the answer section. */
    ResourceRecord answered(int index) {
        return answered.record(order[index]);
    }

    /** Appends an answer record owned by the question name (a pointer to offset 12). */
    void writeAnswer(ResourceRecord r, int ttl) {
        if (truncated || !fits(r, 2)) {
            truncate();
            return;
        }
        out.writeShort(POINTER_TO_QUESTION);
        writeRecordBody(r, ttl);
        answerCount++;
    }

    /**
     * Appends a zone's SOA to the authority section of a negative answer, with TTL min(SOA TTL, SOA MINIMUM) (RFC 2308
     * sections 3 and 5).
     */
    void writeSoaAuthority(LocalZone zone) {
        if (truncated || !fits(zone.soa, zone.name.length)) {
            truncate();
            return;
        }
        compressor.write(out, zone.name, messageStart);
        writeRecordBody(zone.soa, zone.negativeTtl);
        authorityCount++;
    }

    /**
     * Appends the A and AAAA RRsets of {@code node}, owned by {@code owner} (an SRV or NS target), to the additional
     * section (RFC 2782, RFC 1035 section 3.3.11). What does not fit the limit is left out, a whole RRset at a time,
     * and no later RRset is tried; TC is never set for it (RFC 2181 section 9).
     */
    void writeAdditionalAddresses(byte[] owner, NameNode node) {
        if (truncated || additionalFull || node.size() == 0) {
            return;
        }
        writeAdditionalRrset(owner, node, ResourceRecord.TYPE_A);
        writeAdditionalRrset(owner, node, ResourceRecord.TYPE_AAAA);
    }

    private void writeAdditionalRrset(byte[] owner, NameNode node, int type) {
        int ttl = Integer.MAX_VALUE;
        for (int i = 0; i < node.size(); i++) {
            if (node.record(i).type() == type) {
                ttl = Math.min(ttl, node.record(i).ttl());
            }
        }
        if (ttl == Integer.MAX_VALUE || additionalFull) {
            return;
        }
        int mark = out.writerIndex();
        int count = additionalCount;
        int remembered = compressor.size();
        for (int i = 0; i < node.size(); i++) {
            ResourceRecord r = node.record(i);
            if (r.type() != type) {
                continue;
            }
            if (!fits(r, owner.length)) {
                out.writerIndex(mark);
                additionalCount = count;
                compressor.forget(remembered);
                additionalFull = true;
                return;
            }
            compressor.write(out, owner, messageStart);
            writeRecordBody(r, ttl);
            additionalCount++;
        }
    }

    /** Cuts the response back to the question and sets TC, so the client retries over TCP. */
    void truncate() {
        truncated = true;
        answerCount = 0;
        authorityCount = 0;
        additionalCount = 0;
        out.writerIndex(messageStart + DecodedQuery.HEADER_LENGTH + (query.hasQuestion()
            ? query.questionLength() : 0));
    }

    /**
     * Ends the response: the OPT record when the query had one, error answers included (RFC 6891 section 7: our
     * payload size; the extended RCODE in its TTL; version 0; the query's DO bit, RFC 3225 section 3), TC if records
     * were cut, and the section counts.
     *
     * @return whether the response was truncated
     */
    boolean finish(Rcode rcode) {
        int additional = additionalCount;
        if (query.edns) {
            out.writeByte(0);
            out.writeShort(ResourceRecord.TYPE_OPT);
            out.writeShort(responder.maxUdpPayload);
            out.writeInt((rcode.value() >> 4) << 24 | (query.ednsDo ? OPT_DO : 0));
            out.writeShort(0);
            additional++;
        }
        if (truncated) {
            out.setShort(messageStart + 2, out.getUnsignedShort(messageStart + 2) | FLAG_TC);
        }
        out.setShort(messageStart + 6, answerCount);
        out.setShort(messageStart + 8, authorityCount);
        out.setShort(messageStart + 10, additional);
        out = Unpooled.EMPTY_BUFFER;
        answered = NameNode.ABSENT;
        return truncated;
    }

    private boolean fits(ResourceRecord r, int ownerLength) {
        int size = out.writerIndex() - messageStart + ownerLength + 10 + r.maxRdataLength()
            + (query.edns ? OPT_LENGTH : 0);
        return size <= limit;
    }

    private void writeRecordBody(ResourceRecord r, int ttl) {
        out.writeShort(r.type());
        out.writeShort(CLASS_IN);
        out.writeInt(ttl);
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        out.writeBytes(r.rdataHead());
        for (byte[] name : r.rdataNames()) {
            if (r.compressible()) {
                compressor.write(out, name, messageStart);
            } else {
                // Written whole (RFC 2782 forbids compressing an SRV target), but later names may point at it.
                int at = out.writerIndex() - messageStart;
                out.writeBytes(name);
                compressor.remember(name, name.length, name.length - 1, at);
            }
        }
        out.writeBytes(r.rdataTail());
        out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    }
}
