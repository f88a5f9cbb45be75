package io.meshd.packet;

import io.meshd.packet.testing.SeededProperty;
import io.meshd.packet.testing.TestFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flow hash's promises checked from outside: frozen known answers (the hash must not change between JVMs,
 * nodes or releases without a reason), sensitivity to every tuple field, spread over a bucket range measured with a
 * chi-square bound, and the frame hash's independence from what is not part of a flow.
 */
class FlowHashTest {
    private static final long MAC_A = MacAddress.parse("02:42:0a:00:00:02");
    private static final long MAC_B = MacAddress.parse("02:42:0a:00:00:03");
    private static final int SEED = 0x5EED_F10E;
    /** Chi-square critical value for 63 degrees of freedom at p = 0.001. */
    private static final double CHI_SQUARE_63_P001 = 103.44;
    private static final int KAT_IPV4_TCP = 0x196B_7C28;
    private static final int KAT_IPV4_UDP = 0x9A76_1C9D;
    private static final int KAT_IPV4_ZERO = 0x4C06_DCB7;
    private static final int KAT_IPV6_TCP = 0x4456_2DA0;
    private static final int KAT_IPV6_UDP = 0xC147_9E5A;
    private static final int KAT_FRAME_IPV4_TCP = 0xD356_8253;
    private static final int KAT_FRAME_IPV6_UDP = 0xC536_A3A1;
    private static final int KAT_FRAME_ARP = 0x3E49_3618;
    private static final int KAT_FRAME_ICMP = 0x182E_A43C;

    private static int port(UnsafeBuffer frame) {
        return FlowHash.sourcePort(frame, 0, frame.capacity(), FlowHash.DEFAULT_LOW, FlowHash.DEFAULT_HIGH);
    }

    private static int frameHash(String capture) {
        UnsafeBuffer frame = TestFrames.capture(capture);
        return FlowHash.hash(frame, 0, frame.capacity());
    }

    @Test
    void shouldGiveTheFrozenKnownAnswers() {
        // Computed once from this implementation and frozen: a change here changes every node's flow placement.
        assertEquals(KAT_IPV4_TCP, FlowHash.hashIpv4(0, Ipv4.parse("10.0.0.1"), Ipv4.parse("10.0.0.2"), 40000, 80, 6));
        assertEquals(KAT_IPV4_UDP, FlowHash.hashIpv4(SEED, Ipv4.parse("192.168.1.10"), Ipv4.parse("10.96.0.10"),
            53000, 53, 17));
        assertEquals(KAT_IPV4_ZERO, FlowHash.hashIpv4(-1, 0, 0, 0, 0, 0));
        assertEquals(KAT_IPV6_TCP, FlowHash.hashIpv6(0, 0xfd00_0000_0000_0000L, 1, 0xfd00_0000_0000_0000L, 2,
            40000, 443, 6));
        assertEquals(KAT_IPV6_UDP, FlowHash.hashIpv6(SEED, 0x2001_0db8_0000_0001L, 0x10, 0x2001_0db8_0000_0002L,
            0x20, 5353, 5353, 17));
        assertEquals(KAT_FRAME_IPV4_TCP, frameHash("ipv4-tcp-syn"));
        assertEquals(KAT_FRAME_IPV6_UDP, frameHash("ipv6-udp"));
        assertEquals(KAT_FRAME_ARP, frameHash("arp-request"));
        assertEquals(KAT_FRAME_ICMP, frameHash("ipv4-icmp-echo-request"));
    }

    @Test
    void shouldChangeTheIpv4HashWhenAnyOneFieldChanges() {
        SeededProperty.forAll("one changed IPv4 tuple field changes the hash", 0x41, 2000, random -> {
            int[] tuple = {random.nextInt(), random.nextInt(), random.nextInt(), random.nextInt(0x10000),
                random.nextInt(0x10000), random.nextInt(0x100)};
            int[] bounds = {0, 0, 0, 0x10000, 0x10000, 0x100};
            int before = ipv4(tuple);
            for (int field = 0; field < tuple.length; field++) {
                int[] changed = tuple.clone();
                changed[field] = different(random, tuple[field], bounds[field]);
                assertNotEquals(before, ipv4(changed), "field " + field);
            }
        });
    }

    @Test
    void shouldChangeTheIpv6HashWhenAnyOneFieldChanges() {
        SeededProperty.forAll("one changed IPv6 tuple field changes the hash", 0x61, 2000, random -> {
            long[] tuple = {random.nextInt(), random.nextLong(), random.nextLong(), random.nextLong(),
                random.nextLong(), random.nextInt(0x10000), random.nextInt(0x10000), random.nextInt(0x100)};
            int[] bounds = {0, 0, 0, 0, 0, 0x10000, 0x10000, 0x100};
            int before = ipv6(tuple);
            for (int field = 0; field < tuple.length; field++) {
                long[] changed = tuple.clone();
                changed[field] = bounds[field] == 0 && field > 0 ? tuple[field] ^ 1L << random.nextInt(64)
                    : different(random, (int) tuple[field], bounds[field]);
                assertNotEquals(before, ipv6(changed), "field " + field);
            }
        });
    }

    @Test
    void shouldTellTheTwoDirectionsOfAFlowApart() {
        SeededProperty.forAll("a reply's tuple hashes apart from its request's", 0xD1, 2000, random -> {
            int client = random.nextInt();
            int server = random.nextInt();
            int clientPort = 1024 + random.nextInt(0xFC00);
            int serverPort = random.nextInt(1024);
            assertNotEquals(FlowHash.hashIpv4(SEED, client, server, clientPort, serverPort, 6),
                FlowHash.hashIpv4(SEED, server, client, serverPort, clientPort, 6));
        });
    }

    @Test
    void shouldSpreadTheEphemeralPortRangeEvenlyOverBuckets() {
        SeededProperty.forAll("client ports spread over 64 buckets (chi-square, p = 0.001)", 0xC5, 5, random -> {
            int seed = random.nextInt();
            int client = random.nextInt();
            int server = random.nextInt();
            int[] counts = new int[64];
            for (int port = FlowHash.DEFAULT_LOW; port <= FlowHash.DEFAULT_HIGH; port++) {
                int hash = FlowHash.hashIpv4(seed, client, server, port, 443, 6);
                counts[(int) (((hash & 0xFFFF_FFFFL) * counts.length) >>> 32)]++;
            }
            double chiSquare = chiSquare(counts);
            assertTrue(chiSquare < CHI_SQUARE_63_P001, "chi-square " + chiSquare);
        });
    }

    @Test
    void shouldSpreadFramesThatDifferOnlyInTheirPortsOverEveryTapQueue() {
        int[] counts = new int[8];
        for (int sourcePort = 40000; sourcePort < 40000 + 800; sourcePort++) {
            UnsafeBuffer frame = TestFrames.udp(MAC_B, MAC_A, 0x0A000001, 0x0A000002, sourcePort, 5201, 10);
            counts[FlowHash.bucket(frame, 0, frame.capacity(), counts.length)]++;
        }
        // 7 degrees of freedom, p = 0.001.
        assertTrue(chiSquare(counts) < 24.32, "chi-square " + chiSquare(counts));
    }

    @Test
    void shouldIgnoreWhatIsNotPartOfTheFlow() {
        SeededProperty.forAll("payload, identification and TTL do not move a flow", 0xF0, 300, random -> {
            int sourceIp = random.nextInt();
            int destinationIp = random.nextInt();
            int sourcePort = random.nextInt(0x10000);
            UnsafeBuffer first = TestFrames.udp(MAC_B, MAC_A, sourceIp, destinationIp, sourcePort, 4789,
                random.nextInt(300));
            UnsafeBuffer second = TestFrames.udp(MAC_B, MAC_A, sourceIp, destinationIp, sourcePort, 4789,
                random.nextInt(300));
            second.putShort(EthernetView.HEADER_LENGTH + Ipv4View.IDENTIFICATION_OFFSET, (short) random.nextInt());
            second.putByte(EthernetView.HEADER_LENGTH + Ipv4View.TTL_OFFSET, (byte) random.nextInt());
            assertEquals(port(first), port(second));
        });
    }

    @Test
    void shouldMoveAFrameWhenAnyTupleFieldOfItChanges() {
        int ipAt = EthernetView.HEADER_LENGTH;
        int udpAt = ipAt + Ipv4View.MIN_HEADER_LENGTH;
        int[] fieldOffsets = {ipAt + Ipv4View.SOURCE_OFFSET, ipAt + Ipv4View.DESTINATION_OFFSET,
            ipAt + Ipv4View.PROTOCOL_OFFSET, udpAt + UdpView.SOURCE_PORT_OFFSET,
            udpAt + UdpView.DESTINATION_PORT_OFFSET, EthernetView.SOURCE_OFFSET};
        SeededProperty.forAll("one changed byte of the tuple or MACs changes the frame hash", 0xF1, 500, random -> {
            UnsafeBuffer frame = TestFrames.udp(MAC_B, MAC_A, random.nextInt(), random.nextInt(),
                random.nextInt(0x10000), random.nextInt(0x10000), 20);
            int before = FlowHash.hash(frame, 0, frame.capacity());
            int at = fieldOffsets[random.nextInt(fieldOffsets.length)];
            frame.putByte(at, (byte) (frame.getByte(at) ^ 1 + random.nextInt(255)));
            assertNotEquals(before, FlowHash.hash(frame, 0, frame.capacity()), "byte " + at);
        });
    }

    @Test
    void shouldHashTheAddressesOfNonIpFramesToo() {
        UnsafeBuffer first = TestFrames.arpRequest(MAC_A, 1, 2);
        UnsafeBuffer second = TestFrames.arpRequest(MAC_B, 1, 2);

        assertNotEquals(FlowHash.hash(first, 0, 42), FlowHash.hash(second, 0, 42));
    }

    @Test
    void shouldPlaceEveryPortInItsRangeForAnyBytes() {
        SeededProperty.forAll("ports stay in range, even for garbage and bad windows", 0x90, 3000, random -> {
            byte[] bytes = SeededProperty.bytes(random, 100);
            int offset = random.nextInt(-2, 111);
            int length = random.nextInt(-2, 111);
            int low = random.nextInt(0x10000);
            int high = Math.min(0xFFFF, low + random.nextInt(0x10000));
            int port = FlowHash.sourcePort(new UnsafeBuffer(bytes), offset, length, low, high);
            assertTrue(port >= low && port <= high, port + " not in " + low + ".." + high);
        });
    }

    @Test
    void shouldRejectABadPortRangeOrBucketCount() {
        UnsafeBuffer frame = TestFrames.arpRequest(MAC_A, 1, 2);

        assertThrows(IllegalArgumentException.class, () -> FlowHash.sourcePort(frame, 0, 42, 5000, 4999));
        assertThrows(IllegalArgumentException.class, () -> FlowHash.sourcePort(frame, 0, 42, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> FlowHash.sourcePort(frame, 0, 42, 1, 65536));
        assertThrows(IllegalArgumentException.class, () -> FlowHash.bucket(frame, 0, 42, 0));
        assertEquals(4789, FlowHash.sourcePort(frame, 0, 42, 4789, 4789));
        assertEquals(0, FlowHash.bucket(frame, 0, 42, 1));
    }

    private static int ipv4(int[] t) {
        return FlowHash.hashIpv4(t[0], t[1], t[2], t[3], t[4], t[5]);
    }

    private static int ipv6(long[] t) {
        return FlowHash.hashIpv6((int) t[0], t[1], t[2], t[3], t[4], (int) t[5], (int) t[6], (int) t[7]);
    }

    /** Another value in [0, bound), or any other int if the bound is 0. */
    private static int different(SplittableRandom random, int value, int bound) {
        int other = bound == 0 ? random.nextInt() : random.nextInt(bound);
        return other == value ? (bound == 0 ? value + 1 : (value + 1) % bound) : other;
    }

    private static double chiSquare(int[] counts) {
        long total = 0;
        for (int count : counts) {
            total += count;
        }
        double expected = (double) total / counts.length;
        double sum = 0;
        for (int count : counts) {
            sum += (count - expected) * (count - expected) / expected;
        }
        return sum;
    }
}
