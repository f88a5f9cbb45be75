package io.meshd.packet;

import io.meshd.packet.testing.TestFrames;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowHashTest {
    private static final long MAC_A = MacAddress.parse("02:42:0a:00:00:02");
    private static final long MAC_B = MacAddress.parse("02:42:0a:00:00:03");

    private static int port(UnsafeBuffer frame) {
        return FlowHash.sourcePort(frame, 0, frame.capacity(), FlowHash.DEFAULT_LOW, FlowHash.DEFAULT_HIGH);
    }

    @Test
    void shouldGiveEveryFrameOfAFlowTheSamePort() {
        UnsafeBuffer small = TestFrames.udp(MAC_B, MAC_A, 0x0A000002, 0x0A000003, 40000, 53, 10);
        UnsafeBuffer large = TestFrames.udp(MAC_B, MAC_A, 0x0A000002, 0x0A000003, 40000, 53, 1000);
        large.putShort(EthernetView.HEADER_LENGTH + Ipv4View.IDENTIFICATION_OFFSET, (short) 999);

        assertEquals(port(small), port(large));
    }

    @Test
    void shouldSpreadFlowsThatDifferOnlyInTheirPorts() {
        Set<Integer> ports = new HashSet<>();
        for (int sourcePort = 1000; sourcePort < 2000; sourcePort++) {
            ports.add(port(TestFrames.udp(MAC_B, MAC_A, 0x0A000002, 0x0A000003, sourcePort, 53, 10)));
        }

        assertTrue(ports.size() > 950, "1000 flows over 28,232 ports collide rarely: " + ports.size());
    }

    @Test
    void shouldHashTheAddressesOfNonIpFramesToo() {
        UnsafeBuffer first = TestFrames.arpRequest(MAC_A, 1, 2);
        UnsafeBuffer second = TestFrames.arpRequest(MAC_B, 1, 2);

        assertNotEquals(FlowHash.hash(first, 0, 42), FlowHash.hash(second, 0, 42));
    }

    @Test
    void shouldKeepOneFlowInOneBucketAndSpreadFlowsOverEveryBucket() {
        for (int buckets : new int[] {2, 4}) {
            Set<Integer> used = new HashSet<>();
            for (int sourcePort = 40000; sourcePort < 40064; sourcePort++) {
                UnsafeBuffer small = TestFrames.udp(MAC_B, MAC_A, 0x0A000001, 0x0A000002, sourcePort, 5201, 10);
                UnsafeBuffer large = TestFrames.udp(MAC_B, MAC_A, 0x0A000001, 0x0A000002, sourcePort, 5201, 1400);
                int bucket = FlowHash.bucket(small, 0, small.capacity(), buckets);
                assertTrue(bucket >= 0 && bucket < buckets, "bucket " + bucket);
                assertEquals(bucket, FlowHash.bucket(large, 0, large.capacity(), buckets), "same flow, same bucket");
                used.add(bucket);
            }
            assertEquals(buckets, used.size(), "64 flows over " + buckets + " buckets used " + used);
        }
        UnsafeBuffer frame = TestFrames.arpRequest(MAC_A, 1, 2);
        assertEquals(0, FlowHash.bucket(frame, 0, 42, 1));
        assertThrows(IllegalArgumentException.class, () -> FlowHash.bucket(frame, 0, 42, 0));
    }

    @Property(tries = 300)
    void sourcePortIsTheFlowsBucketInTheRange(@ForAll @Size(max = 100) byte[] bytes,
        @ForAll @IntRange(max = 0xFFFF) int low, @ForAll @IntRange(max = 0xFFFF) int width) {
        int high = Math.min(0xFFFF, low + width);
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        assertEquals(low + FlowHash.bucket(buffer, 0, bytes.length, high - low + 1),
            FlowHash.sourcePort(buffer, 0, bytes.length, low, high));
    }

    @Test
    void shouldRejectABadPortRange() {
        UnsafeBuffer frame = TestFrames.arpRequest(MAC_A, 1, 2);

        assertThrows(IllegalArgumentException.class, () -> FlowHash.sourcePort(frame, 0, 42, 5000, 4999));
        assertThrows(IllegalArgumentException.class, () -> FlowHash.sourcePort(frame, 0, 42, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> FlowHash.sourcePort(frame, 0, 42, 1, 65536));
        assertEquals(4789, FlowHash.sourcePort(frame, 0, 42, 4789, 4789));
    }

    @Property(tries = 2000)
    void portsStayInRangeForAnyBytes(@ForAll @Size(max = 100) byte[] bytes,
        @ForAll @IntRange(min = -2, max = 110) int offset, @ForAll @IntRange(min = -2, max = 110) int length,
        @ForAll @IntRange(max = 0xFFFF) int low, @ForAll @IntRange(max = 0xFFFF) int width) {
        int high = Math.min(0xFFFF, low + width);
        UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        int port = FlowHash.sourcePort(buffer, offset, length, low, high);

        assertTrue(port >= low && port <= high, port + " not in " + low + ".." + high);
    }

    @Property(tries = 300)
    void ipv4FramesHashTheSameWithAnyPayload(@ForAll int sourceIp, @ForAll int destinationIp,
        @ForAll @IntRange(max = 0xFFFF) int sourcePort, @ForAll @IntRange(max = 300) int payload) {
        UnsafeBuffer first = TestFrames.udp(MAC_B, MAC_A, sourceIp, destinationIp, sourcePort, 4789, payload);
        UnsafeBuffer second = TestFrames.udp(MAC_B, MAC_A, sourceIp, destinationIp, sourcePort, 4789, payload + 7);

        assertEquals(port(first), port(second));
    }
}
