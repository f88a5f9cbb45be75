package io.meshd.gossip.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends the codec's primitives to a growable array. Not thread-safe; reuse with {@link #reset()}. */
public final class WireWriter {

    private byte[] buf;
    private int pos;

    /** A writer with {@code capacity} bytes to start with. */
    public WireWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /** Forgets what was written. */
    public WireWriter reset() {
        pos = 0;
        return this;
    }

    /** Bytes written so far. */
    public int size() {
        return pos;
    }

    /** A copy of what was written. */
    public byte[] toBytes() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    /** One byte. */
    public void u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    /** Two bytes, big-endian. */
    public void u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    /** Overwrites two bytes at {@code at} (for back-patched lengths). */
    public void u16At(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    /** Unsigned LEB128. */
    public void varLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    /** Length-prefixed bytes. */
    public void bytes(byte[] b) {
        varLong(b.length);
        raw(b, 0, b.length);
    }

    /** Bytes without a length. */
    public void raw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    /** Length-prefixed UTF-8. */
    public void string(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Family-tagged address: 4 or 16 address bytes, then the port. */
    public void address(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        u8(ip.length);
        raw(ip, 0, ip.length);
        u16(a.getPort());
    }
}
