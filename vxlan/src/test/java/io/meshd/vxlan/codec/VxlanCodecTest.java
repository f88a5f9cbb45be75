package io.meshd.vxlan.codec;

import io.meshd.packet.FrameException;
import io.meshd.packet.testing.TestFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VxlanCodecTest {
    /** A UDP payload as Linux's vxlan device sends it for VNI 42: header, then an ARP request. */
    private static final String KERNEL_PAYLOAD = "08000000 00002a00"
        + "ffffffffffff 02420a000002 0806 0001080006040001 02420a000002 0a000002 000000000000 0a000003";

    @Test
    void shouldFitAsManyDatagramsInAGsoSendAsItsPayloadAndSegmentLimitsAllow() {
        assertEquals(44, VxlanCodec.datagramsPerGsoSend(1450), "44 x 1472 = 64768 <= 65507 < 45 x 1472");
        assertEquals(43, VxlanCodec.datagramsPerGsoSend(1500));
        assertEquals(7, VxlanCodec.datagramsPerGsoSend(9000));
        assertEquals(64, VxlanCodec.datagramsPerGsoSend(68), "never more than UDP_MAX_SEGMENTS");
        assertEquals(1, VxlanCodec.datagramsPerGsoSend(65000), "at least one");
    }

    @Test
    void shouldDecodeTheVniOfAKernelEncapsulatedFrame() {
        UnsafeBuffer payload = TestFrames.hex(KERNEL_PAYLOAD);

        assertEquals(42, VxlanCodec.decode(payload, 0, payload.capacity()));
    }

    @Test
    void shouldWriteTheIFlagAndZeroReservedBits() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[12]);
        buffer.setMemory(0, 12, (byte) 0xFF);

        assertEquals(8, VxlanCodec.encode(buffer, 2, 0xABCDEF));

        assertArrayEquals(HexFormat.of().parseHex("ffff" + "08000000" + "abcdef00" + "ffff"), bytes(buffer));
    }

    @Test
    void shouldIgnoreReservedBitsOnReceipt() {
        UnsafeBuffer payload = TestFrames.hex(KERNEL_PAYLOAD);
        payload.putInt(0, 0xFFFF_FFFF);
        payload.putByte(7, (byte) 0x5A);

        assertEquals(42, VxlanCodec.decode(payload, 0, payload.capacity()));
    }

    @Test
    void shouldRejectAHeaderWithoutTheIFlag() {
        UnsafeBuffer payload = TestFrames.hex(KERNEL_PAYLOAD);
        payload.putByte(0, (byte) 0xF7);

        assertEquals(-DropReason.BAD_FLAGS.code(), VxlanCodec.decode(payload, 0, payload.capacity()));
        assertEquals(DropReason.BAD_FLAGS, DropReason.ofCode(VxlanCodec.decode(payload, 0, payload.capacity())));
    }

    @Test
    void shouldRejectTruncatedPayloads() {
        UnsafeBuffer payload = TestFrames.hex(KERNEL_PAYLOAD);

        assertEquals(-DropReason.TRUNCATED.code(), VxlanCodec.decode(payload, 0, 7));
        assertEquals(-DropReason.TRUNCATED.code(), VxlanCodec.decode(payload, 0, 8 + 13));
        assertEquals(-DropReason.TRUNCATED.code(), VxlanCodec.decode(payload, 1, payload.capacity()));
        assertEquals(-DropReason.TRUNCATED.code(), VxlanCodec.decode(payload, -1, 30));
        assertEquals(-DropReason.TRUNCATED.code(), VxlanCodec.decode(payload, 0, -5));
        assertEquals(42, VxlanCodec.decode(payload, 0, 8 + 14));
    }

    @Test
    void shouldRejectOversizedFrames() {
        UnsafeBuffer payload = TestFrames.hex(KERNEL_PAYLOAD);

        assertEquals(-DropReason.OVERSIZED.code(), VxlanCodec.decode(payload, 0, payload.capacity(), 41));
        assertEquals(42, VxlanCodec.decode(payload, 0, payload.capacity(), 42));
        UnsafeBuffer huge = new UnsafeBuffer(new byte[8 + VxlanCodec.MAX_FRAME_LENGTH + 1]);
        VxlanCodec.encode(huge, 0, 1);
        assertEquals(-DropReason.OVERSIZED.code(), VxlanCodec.decode(huge, 0, huge.capacity()));
    }

    @Test
    void shouldRejectVnisWiderThan24BitsOnEncode() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);

        assertThrows(IllegalArgumentException.class, () -> VxlanCodec.encode(buffer, 0, 1 << 24));
        assertThrows(IllegalArgumentException.class, () -> VxlanCodec.encode(buffer, 0, -1));
    }

    @Test
    void shouldReadAndWriteThroughTheHeaderView() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        VxlanHeader header = new VxlanHeader().wrap(buffer, 4).write(VxlanHeader.MAX_VNI);

        assertTrue(header.hasVni());
        assertEquals(VxlanHeader.FLAG_VNI_VALID, header.flags());
        assertEquals(VxlanHeader.MAX_VNI, header.vni());
        buffer.putByte(4, (byte) 0);
        assertFalse(header.hasVni());
        assertThrows(FrameException.class, () -> header.wrap(buffer, 9));
    }

    private static byte[] bytes(UnsafeBuffer buffer) {
        byte[] copy = new byte[buffer.capacity()];
        buffer.getBytes(0, copy);
        return copy;
    }
}
