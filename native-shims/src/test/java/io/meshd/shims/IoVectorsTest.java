package io.meshd.shims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The iovec array: layout, merging of adjacent pieces, limits. */
class IoVectorsTest {

    @Test
    void shouldLayOutBaseAndLengthPairsInNativeOrder() {
        IoVectors v = new IoVectors(4);
        v.add(1000, 10);
        v.add(5000, 20);
        assertEquals(2, v.count());
        assertEquals(30, v.bytes());
        ByteBuffer raw = rawView(v);
        assertEquals(1000, raw.getLong(0));
        assertEquals(10, raw.getLong(8));
        assertEquals(5000, raw.getLong(16));
        assertEquals(20, raw.getLong(24));
        assertEquals(5000, v.base(1));
    }

    @Test
    void shouldMergeAPieceThatContinuesThePreviousOne() {
        IoVectors v = new IoVectors(2);
        v.add(1000, 10);
        v.add(1010, 6);
        v.add(1016, 4);
        v.add(2000, 1);
        assertEquals(2, v.count());
        assertEquals(20, rawView(v).getLong(8));
        assertEquals(21, v.bytes());
        assertEquals(0, v.remaining());
        v.add(2001, 1);
        assertThrows(IllegalStateException.class, () -> v.add(9000, 1));
        v.clear();
        assertEquals(0, v.count());
        assertEquals(0, v.bytes());
    }

    @Test
    void shouldIgnoreEmptyPiecesAndRejectBadArguments() {
        IoVectors v = new IoVectors(1);
        v.add(1000, 0);
        assertEquals(0, v.count());
        assertThrows(IllegalArgumentException.class, () -> new IoVectors(0));
        assertThrows(IllegalArgumentException.class, () -> new IoVectors(1025));
        assertThrows(IndexOutOfBoundsException.class, () -> v.base(0));
    }

    /** The array's memory read back through a buffer at its address (the test reads what the kernel would). */
    private static ByteBuffer rawView(IoVectors v) {
        ByteBuffer copy = ByteBuffer.allocate(v.count() * 16).order(ByteOrder.nativeOrder());
        for (int i = 0; i < v.count() * 16; i++) {
            copy.put(i, MemoryIO.getInstance().getByte(v.address() + i));
        }
        return copy;
    }
}
