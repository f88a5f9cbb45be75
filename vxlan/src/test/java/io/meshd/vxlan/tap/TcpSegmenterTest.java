package io.meshd.vxlan.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.packet.Checksums;
import io.meshd.packet.testing.SeededProperty;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Software TSO: every segment is a valid TCP/IP packet and together they carry exactly the super-frame's data. The
 * two properties draw payload sizes, MSS and data from a seeded generator (a failure names the seed that replays
 * it, see {@link SeededProperty}); the mutant tests run the same trials against broken segmenters.
 */
class TcpSegmenterTest {
    private static final long PAYLOAD_SEED = 0x750_0001L;
    private static final long HEADERS_SEED = 0x750_0002L;
    private static final int PAYLOAD_TRIES = 200;
    private static final int HEADERS_TRIES = 100;

    /** The segmenter's operations, so that a broken one can be put in the real one's place. */
    static class Segmenter {
        final TcpSegmenter real = new TcpSegmenter();

        int prepare(MutableDirectBuffer frame, int offset, int length, int gsoSize) {
            return real.prepare(frame, offset, length, gsoSize);
        }

        int segmentLength(int index) {
            return real.segmentLength(index);
        }

        int writeSegment(int index, MutableDirectBuffer out, int at) {
            return real.writeSegment(index, out, at);
        }

        int writeHeaders(int index, MutableDirectBuffer out, int at) {
            return real.writeHeaders(index, out, at);
        }

        long payloadAddress(int index) {
            return real.payloadAddress(index);
        }
    }

    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int FIN = 0x01;
    private static final int CWR = 0x80;

    @Test
    void shouldCutAnIpv4SuperFrameIntoValidSegments() {
        UnsafeBuffer frame = ipv4SuperFrame(3000, ACK | PSH | FIN | CWR, 7);
        TcpSegmenter segmenter = new TcpSegmenter();
        assertEquals(3, segmenter.prepare(frame, 0, frame.capacity(), 1000));
        UnsafeBuffer out = new UnsafeBuffer(new byte[65536]);
        for (int i = 0; i < 3; i++) {
            int length = segmenter.writeSegment(i, out, 0);
            assertEquals(14 + 20 + 32 + 1000, length);
            assertEquals(20 + 32 + 1000, out.getShort(16, BE) & 0xFFFF, "IP total length");
            assertEquals(100 + i, out.getShort(18, BE) & 0xFFFF, "IP identification");
            assertEquals(0, Checksums.checksum(out, 14, 20), "IP header checksum");
            assertEquals(1000 + 1000 * i, out.getInt(14 + 20 + 4, BE), "sequence number");
            int flags = out.getByte(14 + 20 + 13) & 0xFF;
            assertEquals(i == 2, (flags & (PSH | FIN)) == (PSH | FIN), "PSH and FIN only on the last");
            assertEquals(i == 0, (flags & CWR) != 0, "CWR only on the first");
            assertTrue((flags & ACK) != 0);
            assertTcpChecksumValid(out, length);
        }
    }

    @Test
    void shouldCutAnIpv6SuperFrameIntoValidSegments() {
        int payload = 2500;
        UnsafeBuffer frame = new UnsafeBuffer(new byte[14 + 40 + 20 + payload]);
        frame.putShort(12, (short) 0x86DD, BE);
        frame.putByte(14, (byte) 0x60);
        frame.putShort(14 + 4, (short) (20 + payload), BE);
        frame.putByte(14 + 6, (byte) 6);
        frame.putByte(14 + 7, (byte) 64);
        for (int i = 0; i < 32; i++) {
            frame.putByte(14 + 8 + i, (byte) (i + 1));
        }
        frame.putInt(54 + 4, 77, BE);
        frame.putByte(54 + 12, (byte) 0x50);
        frame.putByte(54 + 13, (byte) ACK);
        TcpSegmenter segmenter = new TcpSegmenter();
        assertEquals(3, segmenter.prepare(frame, 0, frame.capacity(), 1200));
        UnsafeBuffer out = new UnsafeBuffer(new byte[65536]);
        int last = segmenter.writeSegment(2, out, 0);
        assertEquals(14 + 40 + 20 + 100, last);
        assertEquals(20 + 100, out.getShort(14 + 4, BE) & 0xFFFF, "payload length");
        assertEquals(77 + 2400, out.getInt(54 + 4, BE));
        long pseudo = Checksums.pseudoHeaderIpv6(out, 14, 6, 120);
        assertEquals(0xFFFF, Checksums.fold(Checksums.sum(out, 54, 120, pseudo)), "TCP checksum");
    }

    @Test
    void shouldRefuseWhatIsNotTcp() {
        UnsafeBuffer frame = ipv4SuperFrame(100, ACK, 1);
        frame.putByte(14 + 9, (byte) 17);
        assertEquals(-1, new TcpSegmenter().prepare(frame, 0, frame.capacity(), 50));
        assertEquals(-1, new TcpSegmenter().prepare(new UnsafeBuffer(new byte[30]), 0, 30, 50));
        UnsafeBuffer shortHeader = ipv4SuperFrame(100, ACK, 1);
        shortHeader.putByte(14, (byte) 0x42);
        assertEquals(-1, new TcpSegmenter().prepare(shortHeader, 0, shortHeader.capacity(), 50),
            "an IPv4 header under 20 bytes (found by fuzzing: segments were written over it and overran)");
    }

    @Test
    void shouldCompleteAPartialChecksum() {
        UnsafeBuffer frame = ipv4SuperFrame(333, ACK, 3);
        int length = frame.capacity();
        int tcpLength = length - 34;
        long pseudo = Checksums.pseudoHeaderIpv4(frame.getInt(26, BE), frame.getInt(30, BE), 6, tcpLength);
        // What the kernel leaves with CHECKSUM_PARTIAL: the folded pseudo-header sum in the field.
        frame.putShort(34 + 16, (short) Checksums.fold(pseudo), BE);
        assertTrue(TcpSegmenter.completeChecksum(frame, 0, length, 34, 16));
        assertTcpChecksumValid(frame, length);
    }

    /** Any payload of 1 to 60,000 bytes and MSS of 536 to 8,948: valid segments that carry exactly the payload. */
    static void segmentsCarryThePayload(Supplier<Segmenter> segmenters, SplittableRandom random) {
        int payload = random.nextInt(1, 60_001);
        int mss = random.nextInt(536, 8949);
        UnsafeBuffer frame = ipv4SuperFrame(payload, ACK | PSH, random.nextInt());
        Segmenter segmenter = segmenters.get();
        int count = segmenter.prepare(frame, 0, frame.capacity(), mss);
        assertEquals((payload + mss - 1) / mss, count);
        UnsafeBuffer out = new UnsafeBuffer(new byte[65536]);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int length = segmenter.writeSegment(i, out, 0);
            assertTcpChecksumValid(out, length);
            assertEquals(0, Checksums.checksum(out, 14, 20));
            byte[] data = new byte[length - 66];
            out.getBytes(66, data);
            joined.writeBytes(data);
        }
        byte[] expected = new byte[payload];
        frame.getBytes(66, expected);
        assertArrayEquals(expected, joined.toByteArray());
    }

    /** Headers written alone, followed by the payload where it lies, equal the whole segment byte for byte. */
    static void headersAndPayloadInPlaceEqualTheSegment(Supplier<Segmenter> segmenters, SplittableRandom random) {
        int payload = random.nextInt(1, 60_001);
        int mss = random.nextInt(536, 8949);
        int at = random.nextInt(100);
        UnsafeBuffer heap = ipv4SuperFrame(payload, ACK | PSH | CWR, random.nextInt());
        // The TAP's read buffer is native memory: the payload address is only defined there.
        UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(heap.capacity() + 10));
        frame.putBytes(10, heap, 0, heap.capacity());
        Segmenter segmenter = segmenters.get();
        int count = segmenter.prepare(frame, 10, heap.capacity(), mss);
        UnsafeBuffer whole = new UnsafeBuffer(new byte[65536]);
        UnsafeBuffer headers = new UnsafeBuffer(new byte[256]);
        for (int i = 0; i < count; i++) {
            int length = segmenter.writeSegment(i, whole, at);
            assertEquals(length, segmenter.segmentLength(i));
            int headerLength = segmenter.writeHeaders(i, headers, at);
            assertEquals(66, headerLength);
            for (int b = 0; b < headerLength; b++) {
                assertEquals(whole.getByte(at + b), headers.getByte(at + b), "header byte " + b + " of segment " + i);
            }
            long payloadAt = segmenter.payloadAddress(i) - frame.addressOffset();
            for (int b = headerLength; b < length; b++) {
                assertEquals(whole.getByte(at + b), frame.getByte((int) payloadAt + b - headerLength));
            }
        }
        segmenter.prepare(heap, 0, heap.capacity(), mss);
        assertEquals(0, segmenter.payloadAddress(0), "a heap frame has no payload address");
    }

    @Test
    void segmentsCarryExactlyThePayloadWithValidChecksums() {
        SeededProperty.forAll("segments carry exactly the payload with valid checksums", PAYLOAD_SEED,
            PAYLOAD_TRIES, random -> segmentsCarryThePayload(Segmenter::new, random));
    }

    @Test
    void headersWithThePayloadInPlaceEqualTheWholeSegment() {
        SeededProperty.forAll("headers with the payload in place equal the whole segment", HEADERS_SEED,
            HEADERS_TRIES, random -> headersAndPayloadInPlaceEqualTheSegment(Segmenter::new, random));
    }

    @Test
    void shouldCatchASegmenterThatDropsTheLastByteOfEachSegment() {
        assertTrue(SeededProperty.firstFailure(PAYLOAD_SEED, PAYLOAD_TRIES,
            random -> segmentsCarryThePayload(() -> new Segmenter() {
                @Override
                int writeSegment(int index, MutableDirectBuffer out, int at) {
                    return super.writeSegment(index, out, at) - 1;
                }
            }, random)).isPresent());
    }

    @Test
    void shouldCatchASegmenterThatRoundsTheSegmentCountDown() {
        assertTrue(SeededProperty.firstFailure(PAYLOAD_SEED, PAYLOAD_TRIES,
            random -> segmentsCarryThePayload(() -> new Segmenter() {
                @Override
                int prepare(MutableDirectBuffer frame, int offset, int length, int gsoSize) {
                    int count = super.prepare(frame, offset, length, gsoSize);
                    return count > 1 ? count - 1 : count;
                }
            }, random)).isPresent());
    }

    @Test
    void shouldCatchHeadersThatAlwaysDescribeTheFirstSegment() {
        assertTrue(SeededProperty.firstFailure(HEADERS_SEED, HEADERS_TRIES,
            random -> headersAndPayloadInPlaceEqualTheSegment(() -> new Segmenter() {
                @Override
                int writeHeaders(int index, MutableDirectBuffer out, int at) {
                    return super.writeHeaders(0, out, at);
                }
            }, random)).isPresent());
    }

    private static void assertTcpChecksumValid(UnsafeBuffer segment, int length) {
        int tcpLength = length - 34;
        long pseudo = Checksums.pseudoHeaderIpv4(segment.getInt(26, BE), segment.getInt(30, BE), 6, tcpLength);
        assertEquals(0xFFFF, Checksums.fold(Checksums.sum(segment, 34, tcpLength, pseudo)), "TCP checksum");
    }

    /** Ethernet + IPv4 (id 100) + TCP with 12 bytes of options (seq 1000) + random payload. */
    private static UnsafeBuffer ipv4SuperFrame(int payload, int flags, int seed) {
        UnsafeBuffer f = new UnsafeBuffer(new byte[14 + 20 + 32 + payload]);
        f.putShort(12, (short) 0x0800, BE);
        f.putByte(14, (byte) 0x45);
        f.putShort(16, (short) Math.min(0xFFFF, 20 + 32 + payload), BE);
        f.putShort(18, (short) 100, BE);
        f.putShort(20, (short) 0x4000, BE);
        f.putByte(22, (byte) 64);
        f.putByte(23, (byte) 6);
        f.putInt(26, 0x0A000001, BE);
        f.putInt(30, 0x0A000002, BE);
        f.putShort(34, (short) 40000, BE);
        f.putShort(36, (short) 5001, BE);
        f.putInt(38, 1000, BE);
        f.putInt(42, 555, BE);
        f.putByte(46, (byte) 0x80);
        f.putByte(47, (byte) flags);
        f.putShort(48, (short) 512, BE);
        f.putByte(54, (byte) 1);
        f.putByte(55, (byte) 1);
        f.putByte(56, (byte) 8);
        f.putByte(57, (byte) 10);
        byte[] data = new byte[payload];
        new Random(seed).nextBytes(data);
        f.putBytes(66, data);
        return f;
    }
}
