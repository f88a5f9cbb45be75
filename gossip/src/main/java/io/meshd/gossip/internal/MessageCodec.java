package io.meshd.gossip.internal;

import io.meshd.gossip.MemberState;
import io.meshd.gossip.internal.CodecException.Reason;
import io.meshd.gossip.internal.Message.Ack;
import io.meshd.gossip.internal.Message.Alive;
import io.meshd.gossip.internal.Message.Dead;
import io.meshd.gossip.internal.Message.IndirectPing;
import io.meshd.gossip.internal.Message.MemberRecord;
import io.meshd.gossip.internal.Message.Nack;
import io.meshd.gossip.internal.Message.Ping;
import io.meshd.gossip.internal.Message.PushPull;
import io.meshd.gossip.internal.Message.Suspect;
import io.meshd.gossip.internal.Message.TableUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * The versioned binary encoding of gossip messages. A UDP packet is a compound of parts, a stream body is one
 * part:
 * <pre>
 *  packet: | version (1) | count (1) | { part length (2) | part } * count |
 *  stream: | version (1) | part |
 *  part:   | type (1) | body (per type; strings and byte arrays are varint-length-prefixed,
 *                       integers unsigned LEB128, addresses | len 4|16 | ip | port (2) |) |
 *  table update body: | table | key | owner | clock | flags (1: bit 0 deleted, bit 1 cluster) | value |
 * </pre>
 * Version 2 (written) added the cluster bit; version 1 (still read) allows only the deleted bit.
 * Stateless and thread-safe. Decoding never throws anything but {@link CodecException}.
 */
public final class MessageCodec {

    /**
     * The wire version this build writes. Version 2 added the cluster bit to a table update's flags; this build
     * still reads version 1 (where the flags can only be 0 or 1).
     */
    public static final int VERSION = 2;
    /** The oldest wire version this build reads. */
    public static final int OLDEST_READABLE = 1;
    /** Table update flag bits. */
    static final int FLAG_DELETED = 1;
    static final int FLAG_CLUSTER = 2;
    /** Largest table value accepted on the wire. */
    public static final int MAX_VALUE = 64 * 1024;
    /** Most members in one push-pull. */
    public static final int MAX_MEMBERS = 1 << 17;
    /** Most table entries in one push-pull. */
    public static final int MAX_ENTRIES = 1 << 20;
    /** Most parts in one packet. */
    public static final int MAX_PARTS = 255;
    /** Bytes of packet header before the first part. */
    public static final int PACKET_HEADER = 2;
    /** Bytes of framing per part in a packet. */
    public static final int PART_OVERHEAD = 2;

    static final int PING = 1;
    static final int INDIRECT_PING = 2;
    static final int ACK = 3;
    static final int NACK = 4;
    static final int ALIVE = 5;
    static final int SUSPECT = 6;
    static final int DEAD = 7;
    static final int TABLE_UPDATE = 8;
    static final int PUSH_PULL = 9;

    private MessageCodec() {
    }

    /** Encodes {@code m} as one part (type and body) into {@code w}. */
    public static void encodePart(Message m, WireWriter w) {
        if (m instanceof Ping p) {
            w.u8(PING);
            w.varLong(p.seq());
            w.string(p.target());
            w.string(p.source());
            w.address(p.sourceAddress());
        } else if (m instanceof IndirectPing p) {
            w.u8(INDIRECT_PING);
            w.varLong(p.seq());
            w.string(p.target());
            w.address(p.targetAddress());
            w.u8(p.wantNack() ? 1 : 0);
            w.string(p.source());
            w.address(p.sourceAddress());
        } else if (m instanceof Ack a) {
            w.u8(ACK);
            w.varLong(a.seq());
        } else if (m instanceof Nack n) {
            w.u8(NACK);
            w.varLong(n.seq());
        } else if (m instanceof Alive a) {
            w.u8(ALIVE);
            w.string(a.node());
            w.address(a.address());
            w.varLong(a.incarnation());
        } else if (m instanceof Suspect s) {
            w.u8(SUSPECT);
            w.string(s.node());
            w.varLong(s.incarnation());
            w.string(s.from());
        } else if (m instanceof Dead d) {
            w.u8(DEAD);
            w.string(d.node());
            w.varLong(d.incarnation());
            w.string(d.from());
        } else if (m instanceof TableUpdate u) {
            w.u8(TABLE_UPDATE);
            tableUpdateBody(u, w);
        } else if (m instanceof PushPull pp) {
            w.u8(PUSH_PULL);
            w.u8(pp.join() ? 1 : 0);
            w.varLong(pp.members().size());
            for (MemberRecord r : pp.members()) {
                w.string(r.name());
                w.address(r.address());
                w.varLong(r.incarnation());
                w.u8(r.state().code());
            }
            w.varLong(pp.entries().size());
            for (TableUpdate u : pp.entries()) {
                tableUpdateBody(u, w);
            }
        } else {
            throw new IllegalArgumentException("unknown message " + m);
        }
    }

    private static void tableUpdateBody(TableUpdate u, WireWriter w) {
        w.string(u.table());
        w.string(u.key());
        w.string(u.owner());
        w.varLong(u.clock());
        w.u8((u.deleted() ? FLAG_DELETED : 0) | (u.cluster() ? FLAG_CLUSTER : 0));
        w.bytes(u.value());
    }

    /** One part as a standalone byte array. */
    public static byte[] part(Message m) {
        WireWriter w = new WireWriter(64);
        encodePart(m, w);
        return w.toBytes();
    }

    /** A packet holding {@code parts} (each from {@link #part}). */
    public static byte[] packet(List<byte[]> parts) {
        if (parts.size() > MAX_PARTS) {
            throw new IllegalArgumentException("too many parts: " + parts.size());
        }
        int size = PACKET_HEADER;
        for (byte[] p : parts) {
            size += PART_OVERHEAD + p.length;
        }
        WireWriter w = new WireWriter(size);
        w.u8(VERSION);
        w.u8(parts.size());
        for (byte[] p : parts) {
            w.u16(p.length);
            w.raw(p, 0, p.length);
        }
        return w.toBytes();
    }

    /** A stream body holding {@code m}. */
    public static byte[] stream(Message m) {
        WireWriter w = new WireWriter(256);
        w.u8(VERSION);
        encodePart(m, w);
        return w.toBytes();
    }

    /** Decodes a packet into its messages. */
    public static List<Message> decodePacket(byte[] b) throws CodecException {
        WireReader r = new WireReader(b, 0, b.length);
        int version = version(r);
        int count = r.u8();
        if (count == 0) {
            throw new CodecException(Reason.OUT_OF_RANGE, "empty packet");
        }
        List<Message> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int len = r.u16();
            if (len > r.remaining()) {
                throw new CodecException(Reason.TRUNCATED, "part of " + len + " bytes");
            }
            WireReader part = new WireReader(b, r.position(), len);
            out.add(decodePart(part, version));
            if (part.remaining() != 0) {
                throw new CodecException(Reason.TRAILING_BYTES, part.remaining() + " bytes after part");
            }
            r.skip(len);
        }
        if (r.remaining() != 0) {
            throw new CodecException(Reason.TRAILING_BYTES, r.remaining() + " bytes after packet");
        }
        return out;
    }

    /** Decodes a stream body. */
    public static Message decodeStream(byte[] b) throws CodecException {
        WireReader r = new WireReader(b, 0, b.length);
        int version = version(r);
        Message m = decodePart(r, version);
        if (r.remaining() != 0) {
            throw new CodecException(Reason.TRAILING_BYTES, r.remaining() + " bytes after stream message");
        }
        return m;
    }

    private static int version(WireReader r) throws CodecException {
        int v = r.u8();
        if (v < OLDEST_READABLE || v > VERSION) {
            throw new CodecException(Reason.BAD_VERSION, "version " + v);
        }
        return v;
    }

    /** Decodes one part of the current version. */
    public static Message decodePart(WireReader r) throws CodecException {
        return decodePart(r, VERSION);
    }

    /** Decodes one part of wire version {@code version}. */
    static Message decodePart(WireReader r, int version) throws CodecException {
        int type = r.u8();
        switch (type) {
            case PING:
                return new Ping(r.varLong(), r.string(), r.string(), r.address());
            case INDIRECT_PING:
                return new IndirectPing(r.varLong(), r.string(), r.address(), flag(r), r.string(), r.address());
            case ACK:
                return new Ack(r.varLong());
            case NACK:
                return new Nack(r.varLong());
            case ALIVE:
                return new Alive(r.string(), r.address(), r.varLong());
            case SUSPECT:
                return new Suspect(r.string(), r.varLong(), r.string());
            case DEAD:
                return new Dead(r.string(), r.varLong(), r.string());
            case TABLE_UPDATE:
                return tableUpdate(r, version);
            case PUSH_PULL:
                return pushPull(r, version);
            default:
                throw new CodecException(Reason.BAD_TYPE, "type " + type);
        }
    }

    private static PushPull pushPull(WireReader r, int version) throws CodecException {
        boolean join = flag(r);
        int members = r.varInt(MAX_MEMBERS);
        List<MemberRecord> ms = new ArrayList<>(Math.min(members, 1024));
        for (int i = 0; i < members; i++) {
            String name = r.string();
            var addr = r.address();
            long inc = r.varLong();
            int code = r.u8();
            MemberState state = MemberState.ofCode(code)
                .orElseThrow(() -> new CodecException(Reason.OUT_OF_RANGE, "state " + code));
            ms.add(new MemberRecord(name, addr, inc, state));
        }
        int entries = r.varInt(MAX_ENTRIES);
        List<TableUpdate> es = new ArrayList<>(Math.min(entries, 1024));
        for (int i = 0; i < entries; i++) {
            es.add(tableUpdate(r, version));
        }
        return new PushPull(join, ms, es);
    }

    private static TableUpdate tableUpdate(WireReader r, int version) throws CodecException {
        String table = r.string();
        String key = r.string();
        String owner = r.string();
        long clock = r.varLong();
        int flags = r.u8();
        int known = version >= 2 ? FLAG_DELETED | FLAG_CLUSTER : FLAG_DELETED;
        if ((flags & ~known) != 0) {
            throw new CodecException(Reason.OUT_OF_RANGE, "table flags " + flags);
        }
        byte[] value = r.bytes(MAX_VALUE);
        return new TableUpdate(table, key, owner, clock, (flags & FLAG_DELETED) != 0, (flags & FLAG_CLUSTER) != 0,
            value);
    }

    private static boolean flag(WireReader r) throws CodecException {
        int v = r.u8();
        if (v > 1) {
            throw new CodecException(Reason.OUT_OF_RANGE, "flag " + v);
        }
        return v == 1;
    }
}
