package io.meshd.packet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The {@link Checksums} functions the checksum properties exercise, behind an overridable class so that a test can
 * run the same property against a deliberately broken variant (a mutant) and see it caught.
 */
class ChecksumFunctions {
    /** The real implementation. */
    static final ChecksumFunctions REAL = new ChecksumFunctions();

    long sum(DirectBuffer buffer, int offset, int length, long initial) {
        return Checksums.sum(buffer, offset, length, initial);
    }

    long copyAndSum(DirectBuffer source, int sourceOffset, MutableDirectBuffer destination, int destinationOffset,
        int length, long initial) {
        return Checksums.copyAndSum(source, sourceOffset, destination, destinationOffset, length, initial);
    }

    int fold(long sum) {
        return Checksums.fold(sum);
    }

    int checksum(DirectBuffer buffer, int offset, int length) {
        return Checksums.checksum(buffer, offset, length);
    }

    int transport(DirectBuffer buffer, int offset, int length, long pseudoHeaderSum, int checksumAt) {
        return Checksums.transport(buffer, offset, length, pseudoHeaderSum, checksumAt);
    }

    int update16(int checksum, int oldWord, int newWord) {
        return Checksums.update16(checksum, oldWord, newWord);
    }

    int update32(int checksum, int oldValue, int newValue) {
        return Checksums.update32(checksum, oldValue, newValue);
    }
}
