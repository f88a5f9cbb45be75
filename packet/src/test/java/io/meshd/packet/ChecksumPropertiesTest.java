package io.meshd.packet;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The checksum helpers against a plain word-by-word reference, and RFC 1624 updates against full recomputation.
 */
class ChecksumPropertiesTest {
    @Property(tries = 1000)
    void checksumEqualsTheReference(@ForAll @Size(max = 300) byte[] bytes) {
        assertEquals(reference(bytes), Checksums.checksum(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    @Property(tries = 500)
    void sumsOfEvenSplitsAddUp(@ForAll @Size(max = 300) byte[] bytes, @ForAll @IntRange(max = 150) int half) {
        int split = Math.min(half * 2, bytes.length & ~1);
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        long chained = Checksums.sum(buffer, split, bytes.length - split, Checksums.sum(buffer, 0, split, 0));
        assertEquals(Checksums.finish(Checksums.sum(buffer, 0, bytes.length, 0)), Checksums.finish(chained));
    }

    @Property(tries = 1000)
    void sumAtAnyOffsetOfADirectBufferEqualsTheReference(@ForAll @Size(max = 3000) byte[] bytes,
        @ForAll @IntRange(max = 15) int offset) {
        UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(offset + bytes.length + 16));
        buffer.putBytes(offset, bytes);
        assertEquals(reference(bytes), Checksums.checksum(buffer, offset, bytes.length));
    }

    @Property(tries = 1000)
    void copyAndSumCopiesTheRangeAndSumsItLikeSum(@ForAll @Size(max = 3000) byte[] bytes,
        @ForAll @IntRange(max = 15) int from, @ForAll @IntRange(max = 15) int to,
        @ForAll @IntRange(max = 0xFFFFF) int initial) {
        UnsafeBuffer source = new UnsafeBuffer(new byte[from + bytes.length + 3]);
        source.putBytes(from, bytes);
        UnsafeBuffer destination = new UnsafeBuffer(ByteBuffer.allocateDirect(to + bytes.length + 3));
        destination.setMemory(0, destination.capacity(), (byte) 0x5A);

        long sum = Checksums.copyAndSum(source, from, destination, to, bytes.length, initial);

        byte[] copied = new byte[bytes.length];
        destination.getBytes(to, copied);
        assertArrayEquals(bytes, copied);
        assertEquals(0x5A, destination.getByte(to + bytes.length));
        assertEquals(Checksums.fold(Checksums.sum(source, from, bytes.length, initial)), Checksums.fold(sum));
        assertEquals(reference(bytes), Checksums.finish(Checksums.sum(source, from, bytes.length, 0)));
    }

    @Property(tries = 2000)
    void foldEqualsFoldingUntilNoCarryIsLeft(@ForAll long sum) {
        long folded = sum;
        while ((folded >>> 16) != 0) {
            folded = (folded & 0xFFFF) + (folded >>> 16);
        }
        assertEquals(folded, Checksums.fold(sum));
    }

    @Example
    void shouldFoldTheLargestCarries() {
        assertEquals(0xFFFF, Checksums.fold(-1L));
        assertEquals(1, Checksums.fold(0x1_0000_0000L));
        assertEquals(0xFFFF, Checksums.fold(0xFFFF_FFFFL));
        assertEquals(3, Checksums.fold(0x2_0000_0001L));
        assertEquals(0, Checksums.fold(0));
    }

    @Example
    void shouldRefuseARangeOutsideTheBuffer() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertThrows(IndexOutOfBoundsException.class, () -> Checksums.sum(buffer, 40, 32, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Checksums.copyAndSum(buffer, 0, buffer, 48, 32, 0));
    }

    @Property(tries = 2000)
    void incrementalUpdateOf16BitsEqualsFullRecomputation(@ForAll @Size(min = 2, max = 64) byte[] data,
        @ForAll @IntRange(max = 31) int word, @ForAll @IntRange(max = 0xFFFF) int newValue) {
        byte[] bytes = evenLength(data);
        int at = Math.min(word, bytes.length / 2 - 1) * 2;
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        int before = Checksums.checksum(buffer, 0, bytes.length);
        int oldValue = buffer.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF;

        buffer.putShort(at, (short) newValue, ByteOrder.BIG_ENDIAN);

        assertSameChecksum(Checksums.checksum(buffer, 0, bytes.length),
            Checksums.update16(before, oldValue, newValue), bytes);
    }

    @Property(tries = 2000)
    void incrementalUpdateOf32BitsEqualsFullRecomputation(@ForAll @Size(min = 4, max = 64) byte[] data,
        @ForAll @IntRange(max = 30) int word, @ForAll int newValue) {
        byte[] bytes = evenLength(data);
        int at = Math.min(word, bytes.length / 2 - 2) * 2;
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        int before = Checksums.checksum(buffer, 0, bytes.length);
        int oldValue = buffer.getInt(at, ByteOrder.BIG_ENDIAN);

        buffer.putInt(at, newValue, ByteOrder.BIG_ENDIAN);

        assertSameChecksum(Checksums.checksum(buffer, 0, bytes.length),
            Checksums.update32(before, oldValue, newValue), bytes);
    }

    @Property(tries = 500)
    void aWrittenChecksumVerifies(@ForAll @Size(min = 20, max = 200) byte[] data) {
        byte[] bytes = evenLength(data);
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putShort(10, (short) Checksums.transport(buffer, 0, bytes.length, 0, 10), ByteOrder.BIG_ENDIAN);
        assertEquals(0xFFFF, Checksums.fold(Checksums.sum(buffer, 0, bytes.length, 0)) | allZero(bytes));
    }

    /**
     * RFC 1624's result equals recomputation except for the two encodings of zero, which only differ when every
     * word of the data is zero (recomputation then gives 0xFFFF, the update may give 0x0000).
     */
    private static void assertSameChecksum(int recomputed, int updated, byte[] after) {
        if (allZero(after) != 0) {
            assertEquals(0, (recomputed % 0xFFFF) - (updated % 0xFFFF));
        } else {
            assertEquals(recomputed, updated);
        }
    }

    private static int allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return 0;
            }
        }
        return 0xFFFF;
    }

    private static byte[] evenLength(byte[] data) {
        return java.util.Arrays.copyOf(data, data.length & ~1);
    }

    /** RFC 1071, the obvious way. */
    private static int reference(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            int high = bytes[i] & 0xFF;
            int low = i + 1 < bytes.length ? bytes[i + 1] & 0xFF : 0;
            sum += high << 8 | low;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) ~sum & 0xFFFF;
    }
}
