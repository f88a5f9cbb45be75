package io.meshd.packet;

import io.meshd.packet.testing.SeededProperty;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The checksum properties of {@link ChecksumChecks} over seeded random inputs (the seed of a failing trial is in
 * the message). Each property is a {@link Property} so that {@link ChecksumMutantsTest} runs the very same trials
 * against broken implementations and shows each one caught.
 */
class ChecksumPropertiesTest {
    static final Property CHECKSUM = new Property("checksum equals the reference at any offset", 0xC0, 2000,
        (f, random) -> ChecksumChecks.checksumEqualsTheReference(f, SeededProperty.bytes(random, 3000),
            random.nextInt(16)));
    static final Property SPLITS = new Property("sums of even splits add up", 0xC1, 1000, (f, random) -> {
        byte[] bytes = SeededProperty.bytes(random, 300);
        ChecksumChecks.sumsOfEvenSplitsAddUp(f, bytes, random.nextInt(bytes.length + 1));
    });
    static final Property COPY = new Property("copyAndSum copies the range and sums it like sum", 0xC2, 1000,
        (f, random) -> ChecksumChecks.copyAndSumCopiesAndSums(f, SeededProperty.bytes(random, 3000),
            random.nextInt(16), random.nextInt(16), random.nextInt(0x100000)));
    static final Property FOLD = new Property("fold equals folding until no carry is left", 0xC3, 5000,
        (f, random) -> ChecksumChecks.foldEqualsFoldingUntilNoCarry(f, random.nextLong()));
    static final Property UPDATE16 = new Property("RFC 1624 16-bit update equals recomputation", 0xC4, 3000,
        (f, random) -> ChecksumChecks.update16EqualsRecomputation(f, SeededProperty.bytes(random, 64),
            random.nextInt(32), random.nextInt(0x10000)));
    static final Property UPDATE32 = new Property("RFC 1624 32-bit update equals recomputation", 0xC5, 3000,
        (f, random) -> ChecksumChecks.update32EqualsRecomputation(f, SeededProperty.bytes(random, 64),
            random.nextInt(32), random.nextInt()));
    /** Random data almost never sums to 0 or 0xFFFF; sparse data reaches the two encodings of zero. */
    static final Property SPARSE_UPDATES = new Property("RFC 1624 updates of sparse data", 0xC6, 3000,
        (f, random) -> {
            byte[] bytes = new byte[2 + 2 * random.nextInt(8)];
            bytes[random.nextInt(bytes.length)] = (byte) (random.nextBoolean() ? 0 : random.nextInt(256));
            int newValue = sparseWord(random);
            ChecksumChecks.update16EqualsRecomputation(f, bytes, random.nextInt(8), newValue);
            ChecksumChecks.update32EqualsRecomputation(f, bytes, random.nextInt(8), sparseWord(random) << 16
                | newValue);
        });
    static final Property WRITTEN = new Property("a written checksum verifies", 0xC7, 1000, (f, random) ->
        ChecksumChecks.aWrittenChecksumVerifies(f, SeededProperty.bytes(random, 200), random.nextInt(100)));

    /**
     * A named, seeded property of a checksum implementation.
     *
     * @param name what it says
     * @param seed its base seed
     * @param tries how many trials
     * @param check one trial
     */
    record Property(String name, long seed, int tries, BiConsumer<ChecksumFunctions, SplittableRandom> check) {
        void assertHolds(ChecksumFunctions f) {
            SeededProperty.forAll(name, seed, tries, random -> check.accept(f, random));
        }

        boolean catches(ChecksumFunctions mutant) {
            return SeededProperty.firstFailure(seed, tries, random -> check.accept(mutant, random)).isPresent();
        }
    }

    /** 0, 0xFFFF or any word: the values where the two encodings of zero meet. */
    private static int sparseWord(SplittableRandom random) {
        int choice = random.nextInt(3);
        return choice == 0 ? 0 : choice == 1 ? 0xFFFF : random.nextInt(0x10000);
    }

    @Test
    void checksumEqualsTheReferenceAtAnyOffset() {
        CHECKSUM.assertHolds(ChecksumFunctions.REAL);
    }

    @Test
    void sumsOfEvenSplitsAddUp() {
        SPLITS.assertHolds(ChecksumFunctions.REAL);
    }

    @Test
    void copyAndSumCopiesTheRangeAndSumsItLikeSum() {
        COPY.assertHolds(ChecksumFunctions.REAL);
    }

    @Test
    void foldEqualsFoldingUntilNoCarryIsLeft() {
        FOLD.assertHolds(ChecksumFunctions.REAL);
    }

    @Test
    void incrementalUpdateOf16BitsEqualsFullRecomputation() {
        UPDATE16.assertHolds(ChecksumFunctions.REAL);
    }

    @Test
    void incrementalUpdateOf32BitsEqualsFullRecomputation() {
        UPDATE32.assertHolds(ChecksumFunctions.REAL);
    }

    @Test
    void incrementalUpdatesOfSparseDataEqualFullRecomputation() {
        SPARSE_UPDATES.assertHolds(ChecksumFunctions.REAL);
    }

    @Test
    void aWrittenChecksumVerifies() {
        WRITTEN.assertHolds(ChecksumFunctions.REAL);
    }

    @Test
    void shouldFoldTheLargestCarries() {
        assertEquals(0xFFFF, Checksums.fold(-1L));
        assertEquals(1, Checksums.fold(0x1_0000_0000L));
        assertEquals(0xFFFF, Checksums.fold(0xFFFF_FFFFL));
        assertEquals(3, Checksums.fold(0x2_0000_0001L));
        assertEquals(0, Checksums.fold(0));
    }

    @Test
    void shouldRefuseARangeOutsideTheBuffer() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertThrows(IndexOutOfBoundsException.class, () -> Checksums.sum(buffer, 40, 32, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Checksums.copyAndSum(buffer, 0, buffer, 48, 32, 0));
    }
}
