package io.meshd.packet;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checksum properties, each a check of one input against {@link ChecksumReference} or against a recomputation,
 * run by the seeded properties, by the fuzz targets and against mutants.
 */
final class ChecksumChecks {
    private ChecksumChecks() {
    }

    /** The checksum of a heap range and of a direct range at any offset equals the word-by-word reference. */
    static void checksumEqualsTheReference(ChecksumFunctions f, byte[] bytes, int offset) {
        int expected = ChecksumReference.checksum(bytes);
        UnsafeBuffer heap = new UnsafeBuffer(new byte[offset + bytes.length]);
        heap.putBytes(offset, bytes);
        assertEquals(expected, f.checksum(heap, offset, bytes.length), "heap buffer at " + offset);
        UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(offset + bytes.length + 16));
        direct.putBytes(offset, bytes);
        assertEquals(expected, f.checksum(direct, offset, bytes.length), "direct buffer at " + offset);
    }

    /** Partial sums of two ranges split at an even length add up to the sum of the whole range. */
    static void sumsOfEvenSplitsAddUp(ChecksumFunctions f, byte[] bytes, int split) {
        int at = Math.min(split, bytes.length) & ~1;
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        long chained = f.sum(buffer, at, bytes.length - at, f.sum(buffer, 0, at, 0));
        assertEquals(ChecksumReference.checksum(bytes), ~f.fold(chained) & 0xFFFF, "split at " + at);
    }

    /** copyAndSum copies exactly the range and sums it like sum does. */
    static void copyAndSumCopiesAndSums(ChecksumFunctions f, byte[] bytes, int from, int to, int initial) {
        UnsafeBuffer source = new UnsafeBuffer(new byte[from + bytes.length + 3]);
        source.putBytes(from, bytes);
        UnsafeBuffer destination = new UnsafeBuffer(ByteBuffer.allocateDirect(to + bytes.length + 3));
        destination.setMemory(0, destination.capacity(), (byte) 0x5A);

        long sum = f.copyAndSum(source, from, destination, to, bytes.length, initial);

        byte[] copied = new byte[bytes.length];
        destination.getBytes(to, copied);
        assertArrayEquals(bytes, copied, "the range is copied");
        assertEquals(0x5A, destination.getByte(to + bytes.length), "nothing after it");
        assertEquals(0x5A, destination.getByte(to - 1 < 0 ? to + bytes.length + 1 : to - 1), "nothing before it");
        assertEquals(f.fold(f.sum(source, from, bytes.length, initial)), f.fold(sum), "summed like sum");
    }

    /** The fixed fold sequence equals folding until no carry is left. */
    static void foldEqualsFoldingUntilNoCarry(ChecksumFunctions f, long sum) {
        long folded = sum;
        while ((folded >>> 16) != 0) {
            folded = (folded & 0xFFFF) + (folded >>> 16);
        }
        assertEquals(folded, f.fold(sum), Long.toHexString(sum));
    }

    /** RFC 1624: updating the checksum for one changed 16-bit word equals recomputing it. */
    static void update16EqualsRecomputation(ChecksumFunctions f, byte[] data, int word, int newValue) {
        byte[] bytes = Arrays.copyOf(data, Math.max(2, data.length & ~1));
        int at = Math.floorMod(word, bytes.length / 2) * 2;
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        int before = ChecksumReference.checksum(bytes);
        int oldValue = buffer.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        buffer.putShort(at, (short) newValue, ByteOrder.BIG_ENDIAN);
        int recomputed = ChecksumReference.checksum(bytes);
        int updated = f.update16(before, oldValue, newValue & 0xFFFF);
        assertTrue(ChecksumReference.sameChecksum(recomputed, updated, bytes),
            "word " + at + ": recomputed " + recomputed + ", updated " + updated);
    }

    /** RFC 1624 for a 32-bit field (an address rewritten by NAT). */
    static void update32EqualsRecomputation(ChecksumFunctions f, byte[] data, int word, int newValue) {
        byte[] bytes = Arrays.copyOf(data, Math.max(4, data.length & ~1));
        int at = Math.floorMod(word, bytes.length / 2 - 1) * 2;
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        int before = ChecksumReference.checksum(bytes);
        int oldValue = buffer.getInt(at, ByteOrder.BIG_ENDIAN);
        buffer.putInt(at, newValue, ByteOrder.BIG_ENDIAN);
        int recomputed = ChecksumReference.checksum(bytes);
        int updated = f.update32(before, oldValue, newValue);
        assertTrue(ChecksumReference.sameChecksum(recomputed, updated, bytes),
            "field at " + at + ": recomputed " + recomputed + ", updated " + updated);
    }

    /** A checksum written into its field (whatever the field held before) makes the data verify. */
    static void aWrittenChecksumVerifies(ChecksumFunctions f, byte[] data, int field) {
        byte[] bytes = Arrays.copyOf(data, Math.max(2, data.length & ~1));
        int at = Math.floorMod(field, bytes.length / 2) * 2;
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putShort(at, (short) f.transport(buffer, 0, bytes.length, 0, at), ByteOrder.BIG_ENDIAN);
        assertEquals(0, ChecksumReference.checksum(bytes),
            "the data with its checksum sums to all ones");
    }
}
