package io.meshd.mesh.codec;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Writes the primitives of a table value, the counterpart of {@link ValueReader}. */
final class ValueWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    ValueWriter(int version) {
        out.write(version);
    }

    ValueWriter u8(int v) {
        out.write(v);
        return this;
    }

    ValueWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    ValueWriter varint(long v) {
        long x = v;
        while ((x & ~0x7fL) != 0) {
            out.write((int) (x & 0x7f) | 0x80);
            x >>>= 7;
        }
        out.write((int) x);
        return this;
    }

    ValueWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    /** An IP, or family 0 for null. */
    ValueWriter ip(InetAddress a) {
        if (a == null) {
            return u8(0);
        }
        byte[] raw = a.getAddress();
        out.write(a instanceof Inet4Address ? 4 : 6);
        out.write(raw, 0, raw.length);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
