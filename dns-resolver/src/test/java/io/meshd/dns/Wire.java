package io.meshd.dns;

import io.meshd.dns.internal.WireNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: builds query bytes by hand and decodes answers with Netty's own (independent) decoder. */
public final class Wire {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5353);

    private Wire() {
    }

    /** A query builder with RD set, class IN, QDCOUNT 1. */
    public static Query query(String name, int type) {
        return new Query(name, type);
    }

    /** Query bytes under construction. */
    public static final class Query {
        private int id = 0x1234;
        private int flags = 0x0100;
        private int qdcount = 1;
        private final String name;
        private final int type;
        private int klass = 1;
        private int ednsPayload = -1;
        private int ednsVersion;
        private int opts = 1;
        private boolean dnssecOk;

        Query(String name, int type) {
            this.name = name;
            this.type = type;
        }

        /** Sets the ID. */
        public Query id(int value) {
            id = value;
            return this;
        }

        /** Sets the whole flags word. */
        public Query flags(int value) {
            flags = value;
            return this;
        }

        /** Overrides QDCOUNT (the question is written once whatever it says). */
        public Query qdcount(int value) {
            qdcount = value;
            return this;
        }

        /** Sets the class. */
        public Query klass(int value) {
            klass = value;
            return this;
        }

        /** Adds an OPT record advertising {@code payload}. */
        public Query edns(int payload) {
            ednsPayload = payload;
            return this;
        }

        /** Sets the EDNS version (with {@link #edns}). */
        public Query ednsVersion(int version) {
            ednsVersion = version;
            return this;
        }

        /** Sets the DO bit (RFC 3225) in the OPT record (with {@link #edns}). */
        public Query dnssecOk() {
            dnssecOk = true;
            return this;
        }

        /** Writes the OPT record this many times. */
        public Query optCount(int count) {
            opts = count;
            return this;
        }

        /** The message bytes. */
        public byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            short16(out, id);
            short16(out, flags);
            short16(out, qdcount);
            short16(out, 0);
            short16(out, 0);
            short16(out, ednsPayload >= 0 ? opts : 0);
            out.writeBytes(caseKept(name));
            short16(out, type);
            short16(out, klass);
            if (ednsPayload >= 0) {
                for (int i = 0; i < opts; i++) {
                    out.write(0);
                    short16(out, 41);
                    short16(out, ednsPayload);
                    out.write(0);
                    out.write(ednsVersion);
                    short16(out, dnssecOk ? 0x8000 : 0);
                    short16(out, 0);
                }
            }
            return out.toByteArray();
        }

        /** The message in a heap buffer. */
        public ByteBuf buf() {
            return Unpooled.wrappedBuffer(bytes());
        }
    }

    /** The wire form of a name keeping its letter case. */
    public static byte[] caseKept(String dotted) {
        byte[] lower = WireNames.toWire(dotted);
        byte[] ascii = dotted.getBytes(StandardCharsets.US_ASCII);
        int a = 0;
        for (int i = 0; i < lower.length; i++) {
            int len = lower[i] & 0xFF;
            for (int k = 1; k <= len; k++) {
                lower[i + k] = ascii[a++];
            }
            a++;
            i += len;
        }
        return lower;
    }

    static void short16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    /** Decodes a response (not released) with Netty's decoder; throws if it is malformed. */
    public static DnsResponse decode(ByteBuf response) {
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsResponseDecoder());
        try {
            ch.writeInbound(new DatagramPacket(response.retainedDuplicate(), PEER, PEER));
            return ch.readInbound();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /**
     * Checks a message's structure byte by byte (Netty's decoder refuses binary labels, which DNS allows): every
     * section as counted, names with backward pointers only, RDATA lengths inside the message, nothing left over.
     */
    public static void checkStructure(ByteBuf m) {
        int end = m.readerIndex() + m.readableBytes();
        int pos = m.readerIndex() + 12;
        if (pos > end) {
            throw new AssertionError("shorter than a header");
        }
        int questions = m.getUnsignedShort(m.readerIndex() + 4);
        int records = m.getUnsignedShort(m.readerIndex() + 6) + m.getUnsignedShort(m.readerIndex() + 8)
            + m.getUnsignedShort(m.readerIndex() + 10);
        for (int i = 0; i < questions; i++) {
            pos = checkName(m, pos, end) + 4;
        }
        for (int i = 0; i < records; i++) {
            pos = checkName(m, pos, end);
            if (pos + 10 > end) {
                throw new AssertionError("record header past the end");
            }
            pos += 10 + m.getUnsignedShort(pos + 8);
        }
        if (pos != end) {
            throw new AssertionError("message is " + (end - m.readerIndex()) + " bytes but sections end at "
                + (pos - m.readerIndex()));
        }
    }

    private static int checkName(ByteBuf m, int pos, int end) {
        int length = 0;
        int at = pos;
        int next = -1;
        for (int hops = 0; hops < 128; hops++) {
            if (at >= end) {
                throw new AssertionError("name past the end");
            }
            int len = m.getUnsignedByte(at);
            if ((len & 0xC0) == 0xC0) {
                int target = m.readerIndex() + (m.getUnsignedShort(at) & 0x3FFF);
                if (target >= at) {
                    throw new AssertionError("forward compression pointer");
                }
                if (next < 0) {
                    next = at + 2;
                }
                at = target;
                continue;
            }
            if ((len & 0xC0) != 0) {
                throw new AssertionError("bad label type");
            }
            length += len + 1;
            if (length > 255) {
                throw new AssertionError("name over 255 bytes");
            }
            if (len == 0) {
                return next < 0 ? at + 1 : next;
            }
            at += len + 1;
        }
        throw new AssertionError("compression loop");
    }

    /**
     * The TTL field of the OPT record in a message's additional section (extended RCODE, version, DO and Z), or -1
     * when it has none.
     */
    public static long optTtl(ByteBuf m) {
        int end = m.readerIndex() + m.readableBytes();
        int pos = m.readerIndex() + 12;
        int questions = m.getUnsignedShort(m.readerIndex() + 4);
        int before = m.getUnsignedShort(m.readerIndex() + 6) + m.getUnsignedShort(m.readerIndex() + 8);
        int additional = m.getUnsignedShort(m.readerIndex() + 10);
        for (int i = 0; i < questions; i++) {
            pos = checkName(m, pos, end) + 4;
        }
        for (int i = 0; i < before + additional; i++) {
            pos = checkName(m, pos, end);
            if (i >= before && m.getUnsignedShort(pos) == 41) {
                return m.getUnsignedInt(pos + 4);
            }
            pos += 10 + m.getUnsignedShort(pos + 8);
        }
        return -1;
    }

    /** The addresses in a decoded response's answer section. */
    public static List<String> addresses(DnsResponse response) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r instanceof DnsRawRecord) {
                ByteBuf c = ((DnsRawRecord) r).content();
                byte[] b = new byte[c.readableBytes()];
                c.getBytes(c.readerIndex(), b);
                try {
                    result.add(InetAddress.getByAddress(b).getHostAddress());
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return result;
    }
}
