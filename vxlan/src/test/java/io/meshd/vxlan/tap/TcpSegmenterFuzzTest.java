package io.meshd.vxlan.tap;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshd.packet.Checksums;
import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.Ipv6View;
import io.meshd.vxlan.fabric.FuzzedFabric;
import io.meshd.vxlan.fabric.LocalPort;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TSO path of a TAP: a super-frame as the kernel hands it over with its GSO size, cut by {@link TcpSegmenter}
 * and switched with {@code SwitchFabric.fromLocalSegments} (by {@link FuzzedFabric}). The segmenter refuses with -1
 * or cuts: every segment re-parses (an IPv4 header of 20 bytes or more with a valid checksum and the segment's
 * length, or an IPv6 header with the segment's payload length; a valid TCP checksum), the segments carry exactly the
 * super-frame's payload in order, and headers written alone equal the whole segment's. The switch counts every
 * segment once as received with exactly one fate each, and what it sends to the uplink is exactly the segments.
 */
class TcpSegmenterFuzzTest {
    private static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;
    private static final int CONTROL = 3;
    /** Room for the largest segment; the targets run on one thread. */
    private static final UnsafeBuffer SCRATCH = new UnsafeBuffer(new byte[65_536 + 256]);
    private static final UnsafeBuffer OUT = new UnsafeBuffer(new byte[65_536 + 256]);

    /** Byte 0 picks the ingress port, bytes 1-2 are the GSO size; the rest is the super-frame. */
    @FuzzTest
    void fromLocalSegments(byte[] input) {
        if (input.length < CONTROL) {
            return;
        }
        int gsoSize = (input[1] & 0xFF) << 8 | input[2] & 0xFF;
        byte[] frame = Arrays.copyOfRange(input, CONTROL, input.length);
        UnsafeBuffer buffer = new UnsafeBuffer(frame);
        TcpSegmenter segmenter = new TcpSegmenter();

        int count = segmenter.prepare(buffer, 0, frame.length, gsoSize);

        if (count < 0) {
            assertEquals(-1, count);
            return;
        }
        assertTrue(count >= 1, "at least one segment");
        byte[][] segments = segmentsReparse(segmenter, frame, gsoSize, count);

        FuzzedFabric fuzzed = new FuzzedFabric();
        LocalPort in = fuzzed.port(input[0]);
        UnsafeBuffer scratch = SCRATCH;
        FuzzedFabric.Counts before = fuzzed.begin();

        fuzzed.fabric().fromLocalSegments(in, segmenter, scratch);

        FuzzedFabric.Counts after = fuzzed.counts();
        assertEquals(count, after.fromLocal() - before.fromLocal(), "every segment counted once as received");
        fuzzed.assertFates(before, after, count);
        int sent = 0;
        for (FuzzedFabric.Copy copy : fuzzed.copies()) {
            if (copy.toUplink() && after.floods() == before.floods()) {
                assertArrayEquals(segments[sent++], copy.bytes(), "the segments, in order");
            }
            fuzzed.assertReparses(copy);
        }
    }

    /** Checks every segment and returns them. */
    private static byte[][] segmentsReparse(TcpSegmenter segmenter, byte[] frame, int gsoSize, int count) {
        UnsafeBuffer out = OUT;
        UnsafeBuffer headers = new UnsafeBuffer(new byte[256]);
        int headerLength = segmenter.writeHeaders(0, headers, 0);
        assertTrue(headerLength >= EthernetView.HEADER_LENGTH + Ipv4View.MIN_HEADER_LENGTH + 20
            && headerLength <= frame.length, "header length " + headerLength);
        byte[][] segments = new byte[count][];
        int carried = 0;
        for (int i = 0; i < count; i++) {
            int length = segmenter.writeSegment(i, out, 0);
            assertEquals(segmenter.segmentLength(i), length, "segment length");
            int payload = length - headerLength;
            assertTrue(payload >= 0 && payload <= gsoSize && (i == count - 1 || payload == gsoSize),
                "payload " + payload + " of segment " + i);
            assertEquals(headerLength, segmenter.writeHeaders(i, headers, 0));
            for (int b = 0; b < headerLength; b++) {
                assertEquals(out.getByte(b), headers.getByte(b), "header byte " + b + " of segment " + i);
            }
            for (int b = 0; b < payload; b++) {
                assertEquals(frame[headerLength + carried + b], out.getByte(headerLength + b), "payload byte");
            }
            carried += payload;
            assertValidPacket(out, length);
            segments[i] = new byte[length];
            out.getBytes(0, segments[i]);
        }
        assertEquals(frame.length - headerLength, carried, "the segments carry exactly the payload");
        return segments;
    }

    private static void assertValidPacket(UnsafeBuffer segment, int length) {
        int type = segment.getShort(EthernetView.ETHER_TYPE_OFFSET, NETWORK) & 0xFFFF;
        int ip = EthernetView.HEADER_LENGTH;
        long pseudo;
        int tcp;
        if (type == EthernetView.TYPE_IPV4) {
            int ipHeader = (segment.getByte(ip) & 0x0F) * 4;
            assertTrue(ipHeader >= Ipv4View.MIN_HEADER_LENGTH, "an IPv4 header of " + ipHeader + " bytes");
            assertEquals(0, Checksums.checksum(segment, ip, ipHeader), "IPv4 header checksum");
            assertEquals(length - ip, segment.getShort(ip + Ipv4View.TOTAL_LENGTH_OFFSET, NETWORK) & 0xFFFF,
                "IPv4 total length");
            tcp = ip + ipHeader;
            pseudo = Checksums.pseudoHeaderIpv4(segment.getInt(ip + Ipv4View.SOURCE_OFFSET, NETWORK),
                segment.getInt(ip + Ipv4View.DESTINATION_OFFSET, NETWORK), Ipv4View.PROTOCOL_TCP, length - tcp);
        } else {
            assertEquals(EthernetView.TYPE_IPV6, type, "IPv4 or IPv6");
            tcp = ip + Ipv6View.HEADER_LENGTH;
            assertEquals(length - tcp, segment.getShort(ip + Ipv6View.PAYLOAD_LENGTH_OFFSET, NETWORK) & 0xFFFF,
                "IPv6 payload length");
            pseudo = Checksums.pseudoHeaderIpv6(segment, ip, Ipv4View.PROTOCOL_TCP, length - tcp);
        }
        assertEquals(0xFFFF, Checksums.fold(Checksums.sum(segment, tcp, length - tcp, pseudo)), "TCP checksum");
    }
}
