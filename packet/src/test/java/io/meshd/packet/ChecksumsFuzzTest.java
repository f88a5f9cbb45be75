package io.meshd.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

/**
 * The checksum properties of {@link ChecksumChecks} on fuzzer-chosen bytes. The first bytes of an input choose the
 * offsets, the changed word and its new value; the rest is the data.
 */
class ChecksumsFuzzTest {
    private static final ChecksumFunctions REAL = ChecksumFunctions.REAL;
    private static final int CONTROL = 6;

    @FuzzTest
    void checksum(byte[] input) {
        byte[] data = data(input);
        ChecksumChecks.checksumEqualsTheReference(REAL, data, control(input, 0) & 15);
        ChecksumChecks.sumsOfEvenSplitsAddUp(REAL, data, control(input, 1) * 2);
        ChecksumChecks.copyAndSumCopiesAndSums(REAL, data, control(input, 2) & 15, control(input, 3) & 15,
            control(input, 4) << 12 | control(input, 5));
        ChecksumChecks.aWrittenChecksumVerifies(REAL, data, control(input, 1));
        ChecksumChecks.foldEqualsFoldingUntilNoCarry(REAL, longOf(input));
    }

    /** RFC 1624: the incremental result equals a full recomputation, for 16- and 32-bit fields. */
    @FuzzTest
    void incrementalUpdate(byte[] input) {
        byte[] data = data(input);
        int word = control(input, 0);
        int newValue = control(input, 1) << 24 | control(input, 2) << 16 | control(input, 3) << 8 | control(input, 4);
        ChecksumChecks.update16EqualsRecomputation(REAL, data, word, newValue & 0xFFFF);
        ChecksumChecks.update32EqualsRecomputation(REAL, data, word, newValue);
    }

    private static int control(byte[] input, int index) {
        return index < input.length ? input[index] & 0xFF : 0;
    }

    private static byte[] data(byte[] input) {
        return input.length <= CONTROL ? new byte[0] : Arrays.copyOfRange(input, CONTROL, input.length);
    }

    private static long longOf(byte[] input) {
        long value = 0;
        for (int i = 0; i < Math.min(8, input.length); i++) {
            value = value << 8 | input[input.length - 1 - i] & 0xFF;
        }
        return value;
    }
}
