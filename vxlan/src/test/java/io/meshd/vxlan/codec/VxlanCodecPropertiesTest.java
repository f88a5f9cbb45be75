package io.meshd.vxlan.codec;

import io.meshd.packet.testing.SeededProperty;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded properties of {@link VxlanCodec} (a failure names the seed that replays it, see {@link SeededProperty}):
 * an encoded frame decodes to the same VNI and bytes, and decoding any bytes at any offset and length returns a
 * VNI or one of the decoder's drop reasons without throwing. The mutant tests run the same trials against broken
 * codecs and show each one caught.
 */
class VxlanCodecPropertiesTest {
    private static final long ROUND_TRIP_SEED = 0x7848_0001L;
    private static final long RANDOM_BYTES_SEED = 0x7848_0002L;

    /** The codec under test, so that a broken one can be put in its place. */
    interface Codec {
        /** The real one. */
        Codec REAL = new Codec() {
        };

        default int encode(MutableDirectBuffer buffer, int offset, int vni) {
            return VxlanCodec.encode(buffer, offset, vni);
        }

        default int decode(DirectBuffer buffer, int offset, int length) {
            return VxlanCodec.decode(buffer, offset, length);
        }
    }

    /** Any frame of 14 to 9,000 bytes, any VNI, any headroom: decode(encode(frame)) gives the VNI and bytes back. */
    static void roundTrip(Codec codec, SplittableRandom random) {
        byte[] frame = new byte[14 + random.nextInt(9000 - 14 + 1)];
        random.nextBytes(frame);
        int vni = random.nextInt(VxlanHeader.MAX_VNI + 1);
        int headroom = random.nextInt(65);
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[headroom + VxlanCodec.HEADER_LENGTH + frame.length]);
        buffer.putBytes(headroom + VxlanCodec.HEADER_LENGTH, frame);

        int written = codec.encode(buffer, headroom, vni);
        int decoded = codec.decode(buffer, headroom, written + frame.length);

        assertEquals(vni, decoded, "VNI");
        byte[] inner = new byte[frame.length];
        buffer.getBytes(headroom + written, inner);
        assertArrayEquals(frame, inner, "inner frame");
    }

    /**
     * Up to 64 random bytes (the I flag set in half the trials), offsets and lengths from -4 to 70: decode never
     * throws; it refuses with TRUNCATED, BAD_FLAGS or OVERSIZED, or returns a 24-bit VNI exactly when the header
     * and an Ethernet header fit, the I flag is set, and the VNI is the one in the header.
     */
    static void decodingAnyBytesGivesAVniOrADropReason(Codec codec, SplittableRandom random) {
        byte[] bytes = SeededProperty.bytes(random, 64);
        int offset = random.nextInt(-4, 71);
        int length = random.nextInt(-4, 71);
        boolean inside = offset >= 0 && length >= 0 && offset + length <= bytes.length;
        if (inside && length > 0 && random.nextBoolean()) {
            bytes[offset] |= VxlanHeader.FLAG_VNI_VALID;
        }
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        int result = codec.decode(buffer, offset, length);

        boolean valid = inside && length >= VxlanCodec.HEADER_LENGTH + VxlanCodec.MIN_FRAME_LENGTH
            && (bytes[offset] & VxlanHeader.FLAG_VNI_VALID) != 0;
        if (valid) {
            assertEquals(buffer.getInt(offset + VxlanHeader.VNI_OFFSET, ByteOrder.BIG_ENDIAN) >>> 8, result, "VNI");
        } else {
            assertTrue(result < 0, "a refused input gives a drop reason, not " + result);
            assertTrue(Arrays.asList(DropReason.TRUNCATED, DropReason.BAD_FLAGS, DropReason.OVERSIZED)
                .contains(DropReason.ofCode(result)), "reason " + DropReason.ofCode(result));
        }
    }

    static void assertRoundTrip(Codec codec) {
        SeededProperty.forAll("encoded frames decode to the same VNI and bytes", ROUND_TRIP_SEED, 1000,
            random -> roundTrip(codec, random));
    }

    static void assertDecodesAnyBytes(Codec codec) {
        SeededProperty.forAll("decoding any bytes gives a VNI or a drop reason", RANDOM_BYTES_SEED, 2000,
            random -> decodingAnyBytesGivesAVniOrADropReason(codec, random));
    }

    static boolean roundTripCatches(Codec mutant) {
        return SeededProperty.firstFailure(ROUND_TRIP_SEED, 1000, random -> roundTrip(mutant, random)).isPresent();
    }

    static boolean randomBytesCatch(Codec mutant) {
        return SeededProperty.firstFailure(RANDOM_BYTES_SEED, 2000,
            random -> decodingAnyBytesGivesAVniOrADropReason(mutant, random)).isPresent();
    }

    @Test
    void encapsulatedFramesDecapsulateToTheSameVniAndBytes() {
        assertRoundTrip(Codec.REAL);
    }

    @Test
    void decodingRandomBytesNeverThrowsAndGivesAVniOrADropReason() {
        assertDecodesAnyBytes(Codec.REAL);
    }

    @Test
    void shouldCatchAnEncoderThatDropsTheLowByteOfTheVni() {
        assertTrue(roundTripCatches(new Codec() {
            @Override
            public int encode(MutableDirectBuffer buffer, int offset, int vni) {
                return VxlanCodec.encode(buffer, offset, vni & 0xFF_FF00);
            }
        }));
    }

    @Test
    void shouldCatchAnEncoderThatOverwritesTheFirstByteOfTheFrame() {
        assertTrue(roundTripCatches(new Codec() {
            @Override
            public int encode(MutableDirectBuffer buffer, int offset, int vni) {
                VxlanCodec.encode(buffer, offset, vni);
                buffer.putByte(offset + VxlanCodec.HEADER_LENGTH, (byte) 0);
                return VxlanCodec.HEADER_LENGTH;
            }
        }));
    }

    @Test
    void shouldCatchADecoderThatIgnoresTheIFlag() {
        assertTrue(randomBytesCatch(new Codec() {
            @Override
            public int decode(DirectBuffer buffer, int offset, int length) {
                int result = VxlanCodec.decode(buffer, offset, length);
                return result == -DropReason.BAD_FLAGS.code() ? VxlanHeader.vni(buffer, offset) : result;
            }
        }));
    }

    @Test
    void shouldCatchADecoderThatAcceptsAHeaderWithoutAFrame() {
        assertTrue(randomBytesCatch(new Codec() {
            @Override
            public int decode(DirectBuffer buffer, int offset, int length) {
                boolean headerFits = offset >= 0 && length >= VxlanCodec.HEADER_LENGTH
                    && (long) offset + length <= buffer.capacity();
                boolean flag = headerFits && (VxlanHeader.flags(buffer, offset) & VxlanHeader.FLAG_VNI_VALID) != 0;
                return flag ? VxlanHeader.vni(buffer, offset) : VxlanCodec.decode(buffer, offset, length);
            }
        }));
    }

    @Test
    void shouldCatchADecoderThatReadsPastTheEndOfTheBuffer() {
        assertTrue(randomBytesCatch(new Codec() {
            @Override
            public int decode(DirectBuffer buffer, int offset, int length) {
                return (VxlanHeader.flags(buffer, offset) & VxlanHeader.FLAG_VNI_VALID) == 0
                    ? -DropReason.BAD_FLAGS.code() : VxlanCodec.decode(buffer, offset, length);
            }
        }));
    }
}
