package io.meshd.vxlan.codec;

import io.meshd.packet.FlowHash;

import io.meshd.packet.Ipv4;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.MacAddress;
import io.meshd.packet.UdpView;
import io.meshd.packet.Checksums;
import io.meshd.packet.testing.SeededProperty;
import io.meshd.packet.testing.TestFrames;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4EncapsulatorTest {
    static final int LOCAL = Ipv4.parse("192.168.50.1");
    static final int REMOTE = Ipv4.parse("192.168.50.2");
    private final Ipv4Encapsulator encapsulator = Ipv4Encapsulator.builder().sourceAddress(LOCAL).build();

    /** An inner ICMP-sized UDP frame behind 36 bytes of headroom. */
    static UnsafeBuffer packetWithHeadroom(UnsafeBuffer frame) {
        UnsafeBuffer packet = new UnsafeBuffer(new byte[Ipv4Encapsulator.HEADROOM + frame.capacity()]);
        packet.putBytes(Ipv4Encapsulator.HEADROOM, frame, 0, frame.capacity());
        return packet;
    }

    static UnsafeBuffer innerFrame(int payload) {
        return TestFrames.udp(MacAddress.parse("02:42:0a:00:00:03"), MacAddress.parse("02:42:0a:00:00:02"),
            Ipv4.parse("10.0.0.2"), Ipv4.parse("10.0.0.3"), 40000, 5201, payload);
    }

    @Test
    void shouldWriteValidOuterHeaders() {
        UnsafeBuffer frame = innerFrame(100);
        UnsafeBuffer packet = packetWithHeadroom(frame);

        int length = encapsulator.encapsulate(packet, 0, frame.capacity(), 4096, REMOTE);

        assertEquals(packet.capacity(), length);
        Ipv4View ip = new Ipv4View().wrap(packet, 0, length);
        assertTrue(ip.isWellFormed());
        assertTrue(ip.hasValidChecksum());
        assertEquals(LOCAL, ip.source());
        assertEquals(REMOTE, ip.destination());
        assertEquals(Ipv4View.PROTOCOL_UDP, ip.protocol());
        UdpView udp = new UdpView().wrap(packet, 20, length - 20);
        assertEquals(VxlanCodec.DEFAULT_PORT, udp.destinationPort());
        assertTrue(udp.sourcePort() >= FlowHash.DEFAULT_LOW && udp.sourcePort() <= FlowHash.DEFAULT_HIGH);
        assertEquals(FlowHash.sourcePort(frame, 0, frame.capacity(), FlowHash.DEFAULT_LOW, FlowHash.DEFAULT_HIGH),
            udp.sourcePort());
        assertTrue(udp.checksum() != 0, "checksum on");
        int vxlanAt = encapsulator.decapsulate(packet, 0, length);
        assertEquals(28, vxlanAt);
        assertEquals(4096, VxlanCodec.decode(packet, vxlanAt, length - vxlanAt));
    }

    @Test
    void shouldAcceptAZeroUdpChecksumAndRejectOtherPorts() {
        Ipv4Encapsulator noChecksum = Ipv4Encapsulator.builder().sourceAddress(LOCAL).udpChecksum(false)
            .destinationPort(8472).build();
        UnsafeBuffer frame = innerFrame(10);
        UnsafeBuffer packet = packetWithHeadroom(frame);

        int length = noChecksum.encapsulate(packet, 0, frame.capacity(), 1, REMOTE);

        assertEquals(0, packet.getShort(26));
        assertEquals(28, noChecksum.decapsulate(packet, 0, length));
        assertEquals(-DropReason.BAD_OUTER_HEADER.code(), encapsulator.decapsulate(packet, 0, length), "port 4789");
    }

    @Test
    void shouldRejectMalformedOuterHeaders() {
        UnsafeBuffer frame = innerFrame(10);
        UnsafeBuffer packet = packetWithHeadroom(frame);
        int length = encapsulator.encapsulate(packet, 0, frame.capacity(), 1, REMOTE);

        assertEquals(-DropReason.TRUNCATED.code(), encapsulator.decapsulate(packet, 0, 35));
        assertEquals(-DropReason.BAD_OUTER_HEADER.code(), encapsulator.decapsulate(packet, 0, length - 1),
            "total length beyond the bytes given");
        packet.putShort(Ipv4View.FRAGMENT_OFFSET, (short) 0x2000, ByteOrder.BIG_ENDIAN);
        assertEquals(-DropReason.BAD_OUTER_HEADER.code(), encapsulator.decapsulate(packet, 0, length), "fragment");
    }

    @Test
    void shouldRefuseBadSettings() {
        assertThrows(IllegalStateException.class, () -> Ipv4Encapsulator.builder().build());
        assertThrows(IllegalArgumentException.class, () -> Ipv4Encapsulator.builder().ttl(0));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Encapsulator.builder().sourcePortRange(5, 4));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Encapsulator.builder().destinationPort(0));
        UnsafeBuffer big = new UnsafeBuffer(new byte[70_000]);
        assertThrows(IllegalArgumentException.class, () -> encapsulator.encapsulate(big, 0, 65_500, 1, REMOTE));
    }

    /** How a received datagram is checked, so that a broken check can be put in the real one's place. */
    interface Decapsulator {
        int decapsulate(DirectBuffer buffer, int offset, int length);
    }

    private static final Ipv4Encapsulator CHECKSUMMED = Ipv4Encapsulator.builder().sourceAddress(LOCAL).build();
    private static final Ipv4Encapsulator UNCHECKSUMMED = Ipv4Encapsulator.builder().sourceAddress(LOCAL)
        .udpChecksum(false).build();
    private static final Decapsulator REAL = CHECKSUMMED::decapsulate;
    private static final long CHECKSUMMED_SEED = 0x1E4C_0001L;
    private static final long UNCHECKSUMMED_SEED = 0x1E4C_0002L;
    private static final int TRIES = 1000;

    /** A datagram of a random inner frame, encapsulated by {@code encapsulator}, then one byte XORed. */
    private record Corrupted(UnsafeBuffer packet, int length, int at) {
        static Corrupted draw(Ipv4Encapsulator encapsulator, SplittableRandom random, int lastPosition) {
            byte[] inner = new byte[14 + random.nextInt(1500 - 14 + 1)];
            random.nextBytes(inner);
            UnsafeBuffer packet = packetWithHeadroom(new UnsafeBuffer(inner));
            int length = encapsulator.encapsulate(packet, 0, inner.length, 77, REMOTE);
            assertEquals(28, encapsulator.decapsulate(packet, 0, length), "intact datagram accepted");
            int at = random.nextInt(Math.min(length - 1, lastPosition) + 1);
            packet.putByte(at, (byte) (packet.getByte(at) ^ random.nextInt(1, 256)));
            return new Corrupted(packet, length, at);
        }
    }

    /**
     * With the UDP checksum on, any single corrupted byte is detected, unless the corruption leaves the UDP checksum
     * field zero: zero means "no checksum" in IPv4 (RFC 768), so the receiver cannot tell.
     */
    static void checksummedCorruptionIsDetected(Decapsulator decapsulator, SplittableRandom random) {
        Corrupted corrupted = Corrupted.draw(CHECKSUMMED, random, Integer.MAX_VALUE);
        if (corrupted.packet.getShort(26) == 0) {
            return;
        }
        assertTrue(decapsulator.decapsulate(corrupted.packet, 0, corrupted.length) < 0,
            "corruption at " + corrupted.at + " not detected");
    }

    /**
     * With a zero UDP checksum (checksum off, legal in IPv4) only the outer IPv4 header is guarded, by its own
     * checksum: any single corrupted byte of it is detected. A corrupted payload byte is not, and cannot be (see
     * {@link #shouldNotDetectPayloadCorruptionWithoutAUdpChecksum}).
     */
    static void uncheckedHeaderCorruptionIsDetected(Decapsulator decapsulator, SplittableRandom random) {
        Corrupted corrupted = Corrupted.draw(UNCHECKSUMMED, random, Ipv4View.MIN_HEADER_LENGTH - 1);
        assertTrue(decapsulator.decapsulate(corrupted.packet, 0, corrupted.length) < 0,
            "corruption of IPv4 header byte " + corrupted.at + " not detected");
    }

    @Test
    void anySingleCorruptedByteIsDetectedWhileTheUdpChecksumIsOn() {
        SeededProperty.forAll("a corrupted byte is detected (UDP checksum on)", CHECKSUMMED_SEED, TRIES,
            random -> checksummedCorruptionIsDetected(REAL, random));
    }

    @Test
    void anyCorruptedOuterIpv4HeaderByteIsDetectedWithAZeroUdpChecksum() {
        SeededProperty.forAll("a corrupted IPv4 header byte is detected (UDP checksum zero)", UNCHECKSUMMED_SEED,
            TRIES, random -> uncheckedHeaderCorruptionIsDetected(UNCHECKSUMMED::decapsulate, random));
    }

    @Test
    void shouldNotDetectPayloadCorruptionWithoutAUdpChecksum() {
        UnsafeBuffer packet = packetWithHeadroom(innerFrame(100));
        int length = UNCHECKSUMMED.encapsulate(packet, 0, packet.capacity() - Ipv4Encapsulator.HEADROOM, 77, REMOTE);
        assertEquals(0, packet.getShort(26), "no UDP checksum");

        packet.putByte(length - 1, (byte) (packet.getByte(length - 1) ^ 0x5A));

        assertEquals(28, UNCHECKSUMMED.decapsulate(packet, 0, length), "the limit of a zero UDP checksum");
    }

    @Test
    void shouldCatchADecapsulatorThatSkipsTheUdpChecksum() {
        Decapsulator mutant = (buffer, offset, length) -> {
            UnsafeBuffer copy = copyOf(buffer, offset, length);
            copy.putShort(26, (short) 0);
            return CHECKSUMMED.decapsulate(copy, 0, length);
        };
        assertTrue(SeededProperty.firstFailure(CHECKSUMMED_SEED, TRIES,
            random -> checksummedCorruptionIsDetected(mutant, random)).isPresent());
    }

    @Test
    void shouldCatchADecapsulatorThatSkipsTheIpv4HeaderChecksum() {
        Decapsulator mutant = (buffer, offset, length) -> {
            UnsafeBuffer copy = copyOf(buffer, offset, length);
            copy.putShort(Ipv4View.CHECKSUM_OFFSET, (short) 0);
            copy.putShort(Ipv4View.CHECKSUM_OFFSET,
                (short) Checksums.ipv4Header(copy, 0, Ipv4View.MIN_HEADER_LENGTH), ByteOrder.BIG_ENDIAN);
            return UNCHECKSUMMED.decapsulate(copy, 0, length);
        };
        assertTrue(SeededProperty.firstFailure(UNCHECKSUMMED_SEED, TRIES,
            random -> uncheckedHeaderCorruptionIsDetected(mutant, random)).isPresent());
    }

    private static UnsafeBuffer copyOf(DirectBuffer buffer, int offset, int length) {
        UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, buffer, offset, length);
        return copy;
    }
}
