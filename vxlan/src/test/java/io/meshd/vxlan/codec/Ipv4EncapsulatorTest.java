package io.meshd.vxlan.codec;

import io.meshd.packet.FlowHash;

import io.meshd.packet.Ipv4;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.MacAddress;
import io.meshd.packet.UdpView;
import io.meshd.packet.testing.TestFrames;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

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

    @Property(tries = 300)
    void anySingleCorruptedByteIsDetected(@ForAll @Size(min = 14, max = 1500) byte[] inner,
        @ForAll @IntRange(max = 1535) int position, @ForAll @IntRange(min = 1, max = 255) int flip) {
        UnsafeBuffer packet = packetWithHeadroom(new UnsafeBuffer(inner));
        int length = encapsulator.encapsulate(packet, 0, inner.length, 77, REMOTE);
        assertEquals(28, encapsulator.decapsulate(packet, 0, length));
        int at = position % length;

        packet.putByte(at, (byte) (packet.getByte(at) ^ flip));

        assertTrue(encapsulator.decapsulate(packet, 0, length) < 0, "corruption at " + at + " not detected");
    }
}
