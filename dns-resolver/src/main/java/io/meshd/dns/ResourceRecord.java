package io.meshd.dns;

import io.meshd.dns.internal.WireNames;
import java.net.Inet4Address;
import java.net.Inet6Address;

/**
 * One resource record of a name: its type, TTL and RDATA, kept in wire form so answering copies bytes only. RDATA is
 * a fixed head, then zero or more domain names, then a fixed tail; names are compressed on the wire when the type
 * allows it (NS, PTR and SOA, not SRV: RFC 2782).
 *
 * <p>Instances are immutable; the arrays returned by {@link #rdataHead()}, {@link #rdataNames()} and
 * {@link #rdataTail()} are shared with the response writer and must not be modified.
 */
public final class ResourceRecord {

    /** Type A, an IPv4 address. */
    public static final int TYPE_A = 1;
    /** Type NS. */
    public static final int TYPE_NS = 2;
    /** Type SOA, the start of a zone of authority. */
    public static final int TYPE_SOA = 6;
    /** Type PTR, a pointer used for reverse lookups. */
    public static final int TYPE_PTR = 12;
    /** Type AAAA, an IPv6 address. */
    public static final int TYPE_AAAA = 28;
    /** Type SRV, a service location (RFC 2782). */
    public static final int TYPE_SRV = 33;
    /** Type OPT, the EDNS0 pseudo-record (RFC 6891). */
    public static final int TYPE_OPT = 41;
    /** The query type ANY. */
    public static final int TYPE_ANY = 255;

    private static final byte[] EMPTY = new byte[0];
    private static final byte[][] NO_NAMES = new byte[0][];

    private final int type;
    private final int ttl;
    private final byte[] head;
    private final byte[][] names;
    private final byte[] tail;
    private final boolean compressible;

    private ResourceRecord(int type, int ttl, byte[] head, byte[][] names, byte[] tail, boolean compressible) {
        if (ttl < 0) {
            throw new IllegalArgumentException("negative TTL " + ttl);
        }
        this.type = type;
        this.ttl = ttl;
        this.head = head;
        this.names = names;
        this.tail = tail;
        this.compressible = compressible;
    }

    /** An A record. */
    public static ResourceRecord a(Inet4Address address, int ttl) {
        return new ResourceRecord(TYPE_A, ttl, address.getAddress(), NO_NAMES, EMPTY, false);
    }

    /** An AAAA record. */
    public static ResourceRecord aaaa(Inet6Address address, int ttl) {
        return new ResourceRecord(TYPE_AAAA, ttl, address.getAddress(), NO_NAMES, EMPTY, false);
    }

    /** A PTR record pointing at {@code target} (a dotted name). */
    public static ResourceRecord ptr(String target, int ttl) {
        return new ResourceRecord(TYPE_PTR, ttl, EMPTY, new byte[][] {WireNames.toWire(target)}, EMPTY, true);
    }

    /** An NS record naming {@code target} (a dotted name). */
    public static ResourceRecord ns(String target, int ttl) {
        return new ResourceRecord(TYPE_NS, ttl, EMPTY, new byte[][] {WireNames.toWire(target)}, EMPTY, true);
    }

    /** An SRV record (RFC 2782); the target is never compressed. */
    public static ResourceRecord srv(int priority, int weight, int port, String target, int ttl) {
        byte[] head = {
            (byte) (priority >> 8), (byte) priority, (byte) (weight >> 8), (byte) weight,
            (byte) (port >> 8), (byte) port,
        };
        return new ResourceRecord(TYPE_SRV, ttl, head, new byte[][] {WireNames.toWire(target)}, EMPTY, false);
    }

    /**
     * An SOA record; {@code minimum} is also the negative-caching TTL (RFC 2308), so the record's own TTL should
     * not exceed it.
     */
    public static ResourceRecord soa(String mname, String rname, long serial, int refresh, int retry, int expire,
                                     int minimum, int ttl) {
        byte[] tail = new byte[20];
        putInt(tail, 0, (int) serial);
        putInt(tail, 4, refresh);
        putInt(tail, 8, retry);
        putInt(tail, 12, expire);
        putInt(tail, 16, minimum);
        return new ResourceRecord(TYPE_SOA, ttl, EMPTY,
            new byte[][] {WireNames.toWire(mname), WireNames.toWire(rname)}, tail, true);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** The record type, e.g. {@link #TYPE_A}. */
    public int type() {
        return type;
    }

    /** Time to live in seconds. */
    public int ttl() {
        return ttl;
    }

    /** This record with another TTL. */
    public ResourceRecord withTtl(int newTtl) {
        return new ResourceRecord(type, newTtl, head, names, tail, compressible);
    }

    /** RDATA bytes before the names (shared, do not modify). */
    public byte[] rdataHead() {
        return head;
    }

    /** Lower-case wire-form names inside the RDATA (shared, do not modify). */
    public byte[][] rdataNames() {
        return names;
    }

    /** RDATA bytes after the names (shared, do not modify). */
    public byte[] rdataTail() {
        return tail;
    }

    /** Whether the names in the RDATA may be compressed on the wire. */
    public boolean compressible() {
        return compressible;
    }

    /** The largest RDATA this record can take on the wire (names uncompressed). */
    public int maxRdataLength() {
        int len = head.length + tail.length;
        for (byte[] n : names) {
            len += n.length;
        }
        return len;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("type ").append(type).append(" ttl ").append(ttl);
        for (byte[] n : names) {
            sb.append(' ').append(WireNames.toDotted(n, 0));
        }
        return sb.toString();
    }
}
