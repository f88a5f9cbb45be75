package io.meshd.packet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each checksum property of {@link ChecksumPropertiesTest}, run with the same seeds against a deliberately broken
 * implementation, reports a violation: the properties can fail.
 */
class ChecksumMutantsTest {
    private static void assertCaught(ChecksumPropertiesTest.Property property, ChecksumFunctions mutant) {
        assertTrue(property.catches(mutant), property.name() + " misses the mutant");
    }

    @Test
    void shouldCatchAChecksumThatDropsAnOddLastByte() {
        assertCaught(ChecksumPropertiesTest.CHECKSUM, new ChecksumFunctions() {
            @Override
            int checksum(DirectBuffer buffer, int offset, int length) {
                return Checksums.checksum(buffer, offset, length & ~1);
            }
        });
    }

    @Test
    void shouldCatchAChecksumThatIgnoresTheOffsetOfADirectBuffer() {
        assertCaught(ChecksumPropertiesTest.CHECKSUM, new ChecksumFunctions() {
            @Override
            int checksum(DirectBuffer buffer, int offset, int length) {
                return Checksums.checksum(buffer, buffer.byteArray() == null ? 0 : offset, length);
            }
        });
    }

    @Test
    void shouldCatchASumThatDropsThePartialSumItContinues() {
        assertCaught(ChecksumPropertiesTest.SPLITS, new ChecksumFunctions() {
            @Override
            long sum(DirectBuffer buffer, int offset, int length, long initial) {
                return Checksums.sum(buffer, offset, length, 0);
            }
        });
    }

    @Test
    void shouldCatchACopyThatLeavesOutTheLastByte() {
        assertCaught(ChecksumPropertiesTest.COPY, new ChecksumFunctions() {
            @Override
            long copyAndSum(DirectBuffer source, int sourceOffset, MutableDirectBuffer destination,
                int destinationOffset, int length, long initial) {
                destination.putBytes(destinationOffset, source, sourceOffset, Math.max(0, length - 1));
                return Checksums.sum(source, sourceOffset, length, initial);
            }
        });
    }

    @Test
    void shouldCatchAFoldOneStepShort() {
        assertCaught(ChecksumPropertiesTest.FOLD, new ChecksumFunctions() {
            @Override
            int fold(long sum) {
                long folded = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
                folded = (folded & 0xFFFF) + (folded >>> 16);
                return (int) ((folded & 0xFFFF) + (folded >>> 16));
            }
        });
    }

    @Test
    void shouldCatchA16BitUpdateWithoutEndAroundCarry() {
        assertCaught(ChecksumPropertiesTest.UPDATE16, new ChecksumFunctions() {
            @Override
            int update16(int checksum, int oldWord, int newWord) {
                return ~((~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + newWord) & 0xFFFF;
            }
        });
    }

    @Test
    void shouldCatchA16BitUpdateByRfc1141() {
        // RFC 1141's HC' = HC + m + ~m' is the formula RFC 1624 corrects: it gives 0xFFFF where 0x0000 belongs.
        assertCaught(ChecksumPropertiesTest.SPARSE_UPDATES, new ChecksumFunctions() {
            @Override
            int update16(int checksum, int oldWord, int newWord) {
                return Checksums.fold(checksum + (oldWord & 0xFFFF) + (~newWord & 0xFFFF));
            }
        });
    }

    @Test
    void shouldCatchA32BitUpdateOfTheLowHalfOnly() {
        assertCaught(ChecksumPropertiesTest.UPDATE32, new ChecksumFunctions() {
            @Override
            int update32(int checksum, int oldValue, int newValue) {
                return Checksums.update16(checksum, oldValue & 0xFFFF, newValue & 0xFFFF);
            }
        });
    }

    @Test
    void shouldCatchAChecksumThatSumsItsOwnField() {
        assertCaught(ChecksumPropertiesTest.WRITTEN, new ChecksumFunctions() {
            @Override
            int transport(DirectBuffer buffer, int offset, int length, long pseudoHeaderSum, int checksumAt) {
                return Checksums.checksum(buffer, offset, length);
            }
        });
    }
}
