package io.meshd.vxlan.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.vxlan.testing.Allocations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The TAP offload path allocates nothing once warm: a 64 KiB TSO super-frame is cut into segments and the
 * segments are coalesced back into one super-frame, exactly 0 bytes per batch, measured with the JVM's per-thread
 * allocation counter ({@link Allocations#assertAllocatesNothing}).
 */
class TapPathAllocationTest {

    private static final int WARM_UP = 3_000;
    private static final int MEASURED = 1_000;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private long written;
    private long segmentsWritten;

    @Test
    void shouldSegmentAndCoalesceWithoutAllocating() {
        int payload = 44 * 1398;
        UnsafeBuffer superFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(66 + payload));
        superFrame.putShort(12, (short) 0x0800, BE);
        superFrame.putByte(14, (byte) 0x45);
        superFrame.putShort(16, (short) (52 + payload), BE);
        superFrame.putShort(20, (short) 0x4000, BE);
        superFrame.putByte(22, (byte) 64);
        superFrame.putByte(23, (byte) 6);
        superFrame.putInt(26, 0x0A000001, BE);
        superFrame.putInt(30, 0x0A000002, BE);
        superFrame.putInt(38, 1, BE);
        superFrame.putByte(46, (byte) 0x80);
        superFrame.putByte(47, (byte) 0x10);
        // Each segment at its own place, as datagrams lie in a receive buffer: the coalescer gathers them from there.
        UnsafeBuffer segment = new UnsafeBuffer(ByteBuffer.allocateDirect(44 * 1500));
        TcpSegmenter segmenter = new TcpSegmenter();
        TcpCoalescer coalescer = new TcpCoalescer();
        CoalescedWriter port = (frame, segments) -> {
            written += frame.bytes();
            segmentsWritten += segments;
        };
        Runnable roundTrip = () -> {
            int count = segmenter.prepare(superFrame, 0, superFrame.capacity(), 1398);
            coalescer.begin();
            for (int i = 0; i < count; i++) {
                int length = segmenter.writeSegment(i, segment, i * 1500);
                coalescer.offer(port, segment, i * 1500, length);
            }
            coalescer.end();
            TcpSegmenter.completeChecksum(superFrame, 0, superFrame.capacity(), 34, 16);
        };
        for (int i = 0; i < WARM_UP; i++) {
            roundTrip.run();
        }
        segmentsWritten = 0;
        Allocations.assertAllocatesNothing(() -> {
            for (int i = 0; i < MEASURED; i++) {
                roundTrip.run();
            }
        }, 44L * MEASURED);
        assertEquals(44L * MEASURED * Allocations.BATCHES, segmentsWritten,
            "every super-frame came back as one of 44 segments");
        assertTrue(written > 0);
    }
}
