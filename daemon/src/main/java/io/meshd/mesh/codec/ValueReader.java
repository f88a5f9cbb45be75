package io.meshd.mesh.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Reads the primitives of a table value: bytes, unsigned LEB128 varints, strings, IPs. Checks every bound. */
final class ValueReader {
    /** The longest string a value may hold, in bytes. */
    static final int MAX_STRING = 1024;

    private final byte[] data;
    private int pos;

    ValueReader(byte[] data) {
        this.data = data;
    }

    /** Reads the format version byte and checks it is {@code expected}. */
    void version(int expected, String table) throws ValueFormatException {
        int v = u8();
        if (v != expected) {
            throw new ValueFormatException(table + " value has format version " + v + ", expected " + expected);
        }
    }

    /** Reads the format version byte and checks it is within {@code first..last}; returns it. */
    int versionIn(int first, int last, String table) throws ValueFormatException {
        int v = u8();
        if (v < first || v > last) {
            throw new ValueFormatException(table + " value has format version " + v + ", expected " + first
                + ".." + last);
        }
        return v;
    }

    int u8() throws ValueFormatException {
        need(1);
        return data[pos++] & 0xff;
    }

    int u16() throws ValueFormatException {
        need(2);
        int v = (data[pos] & 0xff) << 8 | data[pos + 1] & 0xff;
        pos += 2;
        return v;
    }

    /** An unsigned LEB128 varint that fits {@code max}. */
    long varint(long max, String what) throws ValueFormatException {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    throw new ValueFormatException(what + ": varint not in its shortest form");
                }
                if (v > max) {
                    throw new ValueFormatException(what + " " + v + " is above " + max);
                }
                return v;
            }
        }
        throw new ValueFormatException(what + ": varint longer than 9 bytes");
    }

    String string(String what) throws ValueFormatException {
        int len = (int) varint(MAX_STRING, what + " length");
        need(len);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, pos, len)).toString();
            pos += len;
            return s;
        } catch (CharacterCodingException e) {
            throw new ValueFormatException(what + " is not UTF-8");
        }
    }

    /** {@code | family (1: 4 or 6) | 4 or 16 bytes |}; with {@code allowNone} family 0 reads as null. */
    InetAddress ip(String what, boolean allowNone) throws ValueFormatException {
        int family = u8();
        int len;
        if (family == 4) {
            len = 4;
        } else if (family == 6) {
            len = 16;
        } else if (family == 0 && allowNone) {
            return null;
        } else {
            throw new ValueFormatException(what + " has address family " + family);
        }
        need(len);
        byte[] raw = new byte[len];
        System.arraycopy(data, pos, raw, 0, len);
        pos += len;
        try {
            InetAddress a = InetAddress.getByAddress(raw);
            if (family == 6 && !(a instanceof java.net.Inet6Address)) {
                throw new ValueFormatException(what + " is an IPv4-mapped IPv6 address: write it as IPv4");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new ValueFormatException(what + ": " + e.getMessage());
        }
    }

    /** Checks nothing is left. */
    void end(String table) throws ValueFormatException {
        if (pos != data.length) {
            throw new ValueFormatException(table + " value has " + (data.length - pos) + " trailing byte(s)");
        }
    }

    private void need(int n) throws ValueFormatException {
        if (n > data.length - pos) {
            throw new ValueFormatException("value truncated at byte " + pos);
        }
    }
}
