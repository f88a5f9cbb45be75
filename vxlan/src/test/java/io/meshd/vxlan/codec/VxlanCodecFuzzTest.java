package io.meshd.vxlan.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Arbitrary bytes as a VXLAN UDP payload: {@link VxlanCodec#decode} never throws and answers what RFC 7348 says
 * (the VNI when the I flag is set and a header and an Ethernet header fit, else TRUNCATED or BAD_FLAGS; OVERSIZED
 * past a frame size limit), the same at any place in a larger buffer and for any length cut short, and an accepted
 * payload encodes back to a header that decodes to the same VNI with the frame behind it untouched.
 */
class VxlanCodecFuzzTest {
    private static final int SHIFT = 11;

    @FuzzTest
    void decode(byte[] input) {
        UnsafeBuffer exact = new UnsafeBuffer(input);
        int vni = VxlanCodec.decode(exact, 0, input.length);

        assertEquals(expected(input, input.length, VxlanCodec.MAX_FRAME_LENGTH), vni, "RFC 7348");
        UnsafeBuffer shifted = new UnsafeBuffer(new byte[SHIFT + input.length + SHIFT]);
        shifted.setMemory(0, shifted.capacity(), (byte) 0xA5);
        shifted.putBytes(SHIFT, input);
        assertEquals(vni, VxlanCodec.decode(shifted, SHIFT, input.length), "the same elsewhere");
        for (int cut = 0; cut < Math.min(input.length, 24); cut++) {
            assertEquals(expected(input, cut, VxlanCodec.MAX_FRAME_LENGTH), VxlanCodec.decode(exact, 0, cut),
                "cut to " + cut);
        }
        int limit = Math.max(0, input.length - VxlanCodec.HEADER_LENGTH - 1);
        assertEquals(expected(input, input.length, limit), VxlanCodec.decode(exact, 0, input.length, limit),
            "a frame size limit");
        if (vni >= 0) {
            byte[] copy = input.clone();
            UnsafeBuffer encoded = new UnsafeBuffer(copy);
            assertEquals(VxlanCodec.HEADER_LENGTH, VxlanCodec.encode(encoded, 0, vni));
            assertEquals(vni, VxlanCodec.decode(encoded, 0, copy.length), "re-encoded");
            assertArrayEquals(Arrays.copyOfRange(input, VxlanCodec.HEADER_LENGTH, input.length),
                Arrays.copyOfRange(copy, VxlanCodec.HEADER_LENGTH, copy.length), "the frame behind it");
        }
    }

    /** An oracle written from the RFC, not from the decoder. */
    private static int expected(byte[] input, int length, int maxFrameLength) {
        if (length < 8) {
            return -DropReason.TRUNCATED.code();
        }
        if ((input[0] & 0x08) == 0) {
            return -DropReason.BAD_FLAGS.code();
        }
        if (length - 8 < 14) {
            return -DropReason.TRUNCATED.code();
        }
        if (length - 8 > maxFrameLength) {
            return -DropReason.OVERSIZED.code();
        }
        return (input[4] & 0xFF) << 16 | (input[5] & 0xFF) << 8 | input[6] & 0xFF;
    }
}
