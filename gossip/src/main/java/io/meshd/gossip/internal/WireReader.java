package io.meshd.gossip.internal;

import io.meshd.gossip.internal.CodecException.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads the codec's primitives with a bounds check on every read; failures are {@link CodecException}s. */
public final class WireReader {

    /** Longest name, key or table name accepted. */
    public static final int MAX_STRING = 1024;

    private final byte[] buf;
    private int pos;
    private final int end;

    /** Reads {@code buf[off, off+len)}. */
    public WireReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    /** Bytes left. */
    public int remaining() {
        return end - pos;
    }

    /** Current offset. */
    public int position() {
        return pos;
    }

    /** Skips {@code n} bytes. */
    public void skip(int n) throws CodecException {
        need(n);
        pos += n;
    }

    private void need(int n) throws CodecException {
        if (n < 0 || end - pos < n) {
            throw new CodecException(Reason.TRUNCATED, "need " + n + " bytes, have " + (end - pos));
        }
    }

    /** One unsigned byte. */
    public int u8() throws CodecException {
        need(1);
        return buf[pos++] & 0xff;
    }

    /** Two bytes, big-endian, unsigned. */
    public int u16() throws CodecException {
        need(2);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    /** Unsigned LEB128 of at most 63 bits. */
    public long varLong() throws CodecException {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) {
                    throw new CodecException(Reason.OUT_OF_RANGE, "varint overflow");
                }
                return v;
            }
        }
        throw new CodecException(Reason.OUT_OF_RANGE, "varint too long");
    }

    /** A varint that must lie in {@code [0, max]}. */
    public int varInt(int max) throws CodecException {
        long v = varLong();
        if (v > max) {
            throw new CodecException(Reason.OUT_OF_RANGE, v + " > " + max);
        }
        return (int) v;
    }

    /** Length-prefixed bytes of at most {@code max}. */
    public byte[] bytes(int max) throws CodecException {
        int n = varInt(max);
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** Length-prefixed UTF-8 of at most {@link #MAX_STRING} bytes. */
    public String string() throws CodecException {
        int n = varInt(MAX_STRING);
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** Address written by {@link WireWriter#address}. */
    public InetSocketAddress address() throws CodecException {
        int len = u8();
        if (len != 4 && len != 16) {
            throw new CodecException(Reason.OUT_OF_RANGE, "address length " + len);
        }
        need(len);
        byte[] ip = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        int port = u16();
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new CodecException(Reason.OUT_OF_RANGE, "address");
        }
    }
}
