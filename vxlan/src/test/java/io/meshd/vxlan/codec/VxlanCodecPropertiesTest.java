package io.meshd.vxlan.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VxlanCodecPropertiesTest {
    @Property(tries = 1000)
    void encapsulatedFramesDecapsulateToTheSameVniAndBytes(@ForAll @Size(min = 14, max = 9000) byte[] frame,
        @ForAll @IntRange(max = VxlanHeader.MAX_VNI) int vni, @ForAll @IntRange(max = 64) int headroom) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[headroom + VxlanCodec.HEADER_LENGTH + frame.length]);
        buffer.putBytes(headroom + VxlanCodec.HEADER_LENGTH, frame);

        int written = VxlanCodec.encode(buffer, headroom, vni);
        int decoded = VxlanCodec.decode(buffer, headroom, written + frame.length);

        assertEquals(vni, decoded);
        byte[] inner = new byte[frame.length];
        buffer.getBytes(headroom + written, inner);
        assertArrayEquals(frame, inner);
    }

    @Property(tries = 2000)
    void decodingRandomBytesNeverThrows(@ForAll @Size(max = 64) byte[] bytes, @ForAll @IntRange(min = -4, max = 70)
        int offset, @ForAll @IntRange(min = -4, max = 70) int length) {
        int result = VxlanCodec.decode(new UnsafeBuffer(bytes), offset, length);

        if (result < 0) {
            assertTrue(Arrays.asList(DropReason.TRUNCATED, DropReason.BAD_FLAGS, DropReason.OVERSIZED)
                .contains(DropReason.ofCode(result)));
        } else {
            assertTrue(result <= VxlanHeader.MAX_VNI && (bytes[offset] & VxlanHeader.FLAG_VNI_VALID) != 0);
        }
    }
}
