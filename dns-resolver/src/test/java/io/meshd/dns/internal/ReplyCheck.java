package io.meshd.dns.internal;

import io.meshd.dns.Rcode;
import io.meshd.dns.Wire;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * What every reply to a query must be, whatever the query was: a well-formed message (sections as counted, names
 * inside it), with the query's ID, QR=1 and the query's opcode, the question echoed byte for byte (only FORMERR and
 * NOTIMP may leave it out), within 512 bytes over UDP unless the query had EDNS, within the EDNS limit otherwise,
 * and cut back to the question when TC is set.
 */
final class ReplyCheck {

    private static final int FLAG_QR = 0x80;
    private static final int FLAG_TC = 0x02;
    private static final int TCP_LIMIT = 65535;

    private ReplyCheck() {
    }

    /**
     * Checks one reply.
     *
     * @param query the query bytes as received
     * @param reply the reply bytes as sent (without the TCP length prefix)
     * @param tcp whether the reply goes over TCP
     * @param maxUdp the responder's largest UDP answer with EDNS
     * @throws AssertionError naming the first broken rule
     */
    static void check(byte[] query, byte[] reply, boolean tcp, int maxUdp) {
        Wire.checkStructure(Unpooled.wrappedBuffer(reply));
        that(u16(reply, 0) == u16(query, 0), "reply carries the query's ID");
        that((reply[2] & FLAG_QR) != 0, "QR=1");
        that((reply[2] & 0x78) == (query[2] & 0x78), "the query's opcode is echoed");
        int rcode = reply[3] & 0xF;
        int questions = u16(reply, 4);
        if (questions == 1) {
            int length = questionLength(reply);
            that(query.length >= 12 + length && Arrays.equals(query, 12, 12 + length, reply, 12, 12 + length),
                "the question is echoed as sent");
        } else {
            that(questions == 0, "at most one question");
            that(rcode == Rcode.FORMERR.value() || rcode == Rcode.NOTIMP.value(),
                "only FORMERR and NOTIMP leave the question out");
        }
        boolean edns = Wire.optTtl(Unpooled.wrappedBuffer(reply)) != -1;
        int limit = tcp ? TCP_LIMIT : edns ? maxUdp : DecodedQuery.CLASSIC_UDP_LIMIT;
        that(reply.length <= limit, "reply of " + reply.length + " bytes within " + limit);
        if ((reply[2] & FLAG_TC) != 0) {
            that(u16(reply, 6) == 0 && u16(reply, 8) == 0, "a truncated reply is cut back to the question");
        }
    }

    /** The question section's length: an uncompressed name, type and class. */
    private static int questionLength(byte[] reply) {
        int pos = 12;
        while (reply[pos] != 0) {
            that((reply[pos] & 0xC0) == 0, "the echoed question has no pointer");
            pos += (reply[pos] & 0xFF) + 1;
        }
        return pos + 1 + 4 - 12;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static void that(boolean condition, String rule) {
        if (!condition) {
            throw new AssertionError("reply breaks a rule: " + rule);
        }
    }
}
