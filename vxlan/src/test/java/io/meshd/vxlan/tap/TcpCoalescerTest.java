package io.meshd.vxlan.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.shims.IoVectors;
import io.meshd.packet.Checksums;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Receive coalescing: contiguous segments of one flow become one super-frame whose virtio-net header lets the
 * kernel cut them apart again; anything that breaks the rules is written on its own, in order.
 */
class TcpCoalescerTest {

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final ByteOrder LE = ByteOrder.nativeOrder();

    /** What was written: the bytes (header included) and the segment count. */
    private final List<byte[]> writes = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final CoalescedWriter port = (frame, segments) -> {
        byte[] copy = new byte[(int) frame.bytes()];
        int at = 0;
        for (int i = 0; i < frame.count(); i++) {
            new UnsafeBuffer(frame.base(i), frame.length(i)).getBytes(0, copy, at, frame.length(i));
            at += frame.length(i);
        }
        writes.add(copy);
        counts.add(segments);
    };

    @Test
    void shouldMergeContiguousSegmentsIntoOneSuperFrame() {
        TcpCoalescer c = new TcpCoalescer();
        c.begin();
        for (int i = 0; i < 3; i++) {
            assertTrue(c.offer(port, segment(1000 + 1400 * i, 1400, 0x10, i), 0, 54 + 1400));
        }
        assertTrue(c.offer(port, segment(1000 + 4200, 300, 0x18, 3), 0, 54 + 300));
        c.end();
        assertEquals(List.of(4), counts);
        UnsafeBuffer w = new UnsafeBuffer(writes.get(0));
        assertEquals(1, w.getByte(0), "NEEDS_CSUM");
        assertEquals(1, w.getByte(1), "GSO TCPV4");
        assertEquals(54, w.getShort(2, LE), "header length");
        assertEquals(1400, w.getShort(4, LE), "segment size");
        assertEquals(34, w.getShort(6, LE), "checksum start");
        assertEquals(16, w.getShort(8, LE), "checksum offset");
        int frame = 10;
        assertEquals(20 + 20 + 4500, w.getShort(frame + 16, BE) & 0xFFFF, "IP total length");
        assertEquals(0, Checksums.checksum(w, frame + 14, 20), "IP header checksum");
        assertEquals(1000, w.getInt(frame + 34 + 4, BE), "first sequence number");
        byte[] payload = new byte[4500];
        w.getBytes(frame + 54, payload);
        for (int i = 0; i < 4500; i++) {
            assertEquals((byte) ((i / 1400) * 7 + i), payload[i], "payload byte " + i);
        }
        long pseudo = Checksums.pseudoHeaderIpv4(0x0A000001, 0x0A000002, 6, 20 + 4500);
        assertEquals(Checksums.fold(pseudo), w.getShort(frame + 34 + 16, BE) & 0xFFFF, "partial checksum");
    }

    @Test
    void shouldWriteOutOfOrderOrOtherFlowSegmentsSeparatelyAndInOrder() {
        TcpCoalescer c = new TcpCoalescer();
        c.begin();
        UnsafeBuffer first = segment(1000, 1400, 0x10, 0);
        assertTrue(c.offer(port, first, 0, 54 + 1400));
        // A gap in the sequence: the pending frame goes out alone, unchanged, before the new one starts.
        assertTrue(c.offer(port, segment(9000, 1400, 0x10, 1), 0, 54 + 1400));
        // A SYN is never merged: the pending one is written, then the caller writes the SYN itself.
        assertFalse(c.offer(port, segment(1, 0, 0x02, 0), 0, 54));
        c.end();
        assertEquals(List.of(1, 1), counts);
        byte[] expected = new byte[10 + 54 + 1400];
        first.getBytes(0, expected, 10, 54 + 1400);
        assertArrayEquals(expected, writes.get(0), "a lone segment is written as received, with an empty header");
    }

    @Test
    void shouldNotHoldFramesOutsideABurst() {
        TcpCoalescer c = new TcpCoalescer();
        assertFalse(c.active());
        c.begin();
        assertTrue(c.active());
        c.end();
        assertFalse(c.active());
        assertTrue(writes.isEmpty());
    }

    @Test
    void shouldGatherNativePayloadsInPlaceAndCopyHeapOnes() {
        TcpCoalescer c = new TcpCoalescer();
        UnsafeBuffer first = segment(1000, 1400, 0x10, 0);
        UnsafeBuffer second = segment(2400, 1400, 0x10, 1);
        UnsafeBuffer third = onHeap(segment(3800, 1400, 0x10, 2));
        UnsafeBuffer fourth = onHeap(segment(5200, 1400, 0x10, 3));
        List<IoVectors> seen = new ArrayList<>();
        CoalescedWriter recorder = (frame, segments) -> {
            assertEquals(first.addressOffset() + 54, frame.base(1), "the first payload is written from where it lies");
            assertEquals(second.addressOffset() + 54, frame.base(2));
            assertEquals(4, frame.count(), "headers, two native payloads, the two heap payloads copied together");
            assertEquals(10 + 54 + 4 * 1400, frame.bytes());
            seen.add(frame);
            port.writeCoalesced(frame, segments);
        };
        c.begin();
        for (UnsafeBuffer s : List.of(first, second, third, fourth)) {
            assertTrue(c.offer(recorder, s, 0, 54 + 1400));
        }
        c.end();
        assertEquals(1, seen.size());
        byte[] payload = new byte[4 * 1400];
        new UnsafeBuffer(writes.get(0)).getBytes(10 + 54, payload);
        for (int i = 0; i < payload.length; i++) {
            assertEquals((byte) ((i / 1400) * 7 + i), payload[i], "payload byte " + i);
        }
    }

    private static UnsafeBuffer onHeap(UnsafeBuffer direct) {
        byte[] bytes = new byte[direct.capacity()];
        direct.getBytes(0, bytes);
        return new UnsafeBuffer(bytes);
    }

    /** Ethernet + IPv4 + TCP (no options) from 10.0.0.1:40000 to 10.0.0.2:5001 with a recognisable payload. */
    private static UnsafeBuffer segment(int seq, int payload, int flags, int seed) {
        UnsafeBuffer f = new UnsafeBuffer(ByteBuffer.allocateDirect(54 + payload));
        f.putByte(5, (byte) 2);
        f.putByte(6, (byte) 2);
        f.putShort(12, (short) 0x0800, BE);
        f.putByte(14, (byte) 0x45);
        f.putShort(16, (short) (40 + payload), BE);
        f.putShort(18, (short) seed, BE);
        f.putShort(20, (short) 0x4000, BE);
        f.putByte(22, (byte) 64);
        f.putByte(23, (byte) 6);
        f.putInt(26, 0x0A000001, BE);
        f.putInt(30, 0x0A000002, BE);
        f.putShort(24, (short) Checksums.ipv4Header(f, 14, 20), BE);
        f.putShort(34, (short) 40000, BE);
        f.putShort(36, (short) 5001, BE);
        f.putInt(38, seq, BE);
        f.putInt(42, 77, BE);
        f.putByte(46, (byte) 0x50);
        f.putByte(47, (byte) flags);
        f.putShort(48, (short) 1000, BE);
        for (int i = 0; i < payload; i++) {
            f.putByte(54 + i, (byte) (seed * 7 + seed * 1400 + i));
        }
        return f;
    }
}
