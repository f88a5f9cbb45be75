package io.meshd.vxlan.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshd.packet.Checksums;
import io.meshd.packet.Ipv4;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.UdpView;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbitrary bytes as a received IPv4 datagram (the outer header onwards, as a raw socket or a TUN sees it):
 * {@link Ipv4Encapsulator#decapsulate} never throws; it refuses with TRUNCATED or BAD_OUTER_HEADER, or accepts
 * only an unfragmented IPv4/UDP datagram to the VXLAN port whose IPv4 header checksum verifies, whose UDP checksum
 * verifies unless it is zero, and whose UDP length covers a VXLAN header inside the IP packet, returning where the
 * VXLAN header starts. It answers the same wherever the datagram sits in a buffer. A datagram it accepts whose
 * VXLAN header decodes is encapsulated again, as a VTEP would forward its frame, into one that decapsulates to the
 * same VNI and frame.
 */
class Ipv4EncapsulatorFuzzTest {
    private static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;
    private static final int SHIFT = 5;
    private static final Ipv4Encapsulator ENCAPSULATOR = Ipv4Encapsulator.builder()
        .sourceAddress(Ipv4.parse("192.168.50.1")).build();

    @FuzzTest
    void decapsulate(byte[] input) {
        UnsafeBuffer exact = new UnsafeBuffer(input);

        int vxlanAt = ENCAPSULATOR.decapsulate(exact, 0, input.length);

        UnsafeBuffer shifted = new UnsafeBuffer(new byte[SHIFT + input.length]);
        shifted.putBytes(SHIFT, input);
        int elsewhere = ENCAPSULATOR.decapsulate(shifted, SHIFT, input.length);
        assertEquals(vxlanAt < 0 ? vxlanAt : vxlanAt + SHIFT, elsewhere, "the same elsewhere");
        if (vxlanAt < 0) {
            DropReason reason = DropReason.ofCode(vxlanAt);
            assertTrue(reason == DropReason.TRUNCATED || reason == DropReason.BAD_OUTER_HEADER, reason.toString());
            return;
        }
        int ipHeader = (input[0] & 0x0F) * 4;
        assertEquals(0x40, input[0] & 0xF0, "IPv4");
        assertTrue(ipHeader >= Ipv4View.MIN_HEADER_LENGTH, "header length");
        assertEquals(0, Checksums.checksum(exact, 0, ipHeader), "IPv4 header checksum");
        assertEquals(Ipv4View.PROTOCOL_UDP, input[Ipv4View.PROTOCOL_OFFSET] & 0xFF, "UDP");
        assertEquals(0, exact.getShort(Ipv4View.FRAGMENT_OFFSET, NETWORK) & 0x3FFF, "not a fragment");
        int totalLength = exact.getShort(Ipv4View.TOTAL_LENGTH_OFFSET, NETWORK) & 0xFFFF;
        assertTrue(totalLength <= input.length, "the packet fits the bytes");
        int udp = ipHeader;
        assertEquals(udp + UdpView.HEADER_LENGTH, vxlanAt, "the VXLAN header follows the UDP header");
        assertEquals(VxlanCodec.DEFAULT_PORT, exact.getShort(udp + UdpView.DESTINATION_PORT_OFFSET, NETWORK) & 0xFFFF);
        int udpLength = exact.getShort(udp + UdpView.LENGTH_OFFSET, NETWORK) & 0xFFFF;
        assertTrue(udpLength >= UdpView.HEADER_LENGTH + VxlanCodec.HEADER_LENGTH && udp + udpLength <= totalLength,
            "UDP length " + udpLength);
        if (exact.getShort(udp + UdpView.CHECKSUM_OFFSET, NETWORK) != 0) {
            long pseudo = Checksums.pseudoHeaderIpv4(exact.getInt(Ipv4View.SOURCE_OFFSET, NETWORK),
                exact.getInt(Ipv4View.DESTINATION_OFFSET, NETWORK), Ipv4View.PROTOCOL_UDP, udpLength);
            assertEquals(0xFFFF, Checksums.fold(Checksums.sum(exact, udp, udpLength, pseudo)), "UDP checksum");
        }
        int payloadLength = udpLength - UdpView.HEADER_LENGTH;
        int vni = VxlanCodec.decode(exact, vxlanAt, payloadLength);
        if (vni >= 0) {
            reencapsulates(Arrays.copyOfRange(input, vxlanAt + VxlanCodec.HEADER_LENGTH, vxlanAt + payloadLength), vni);
        }
    }

    /** The frame, forwarded to another VTEP, decapsulates to the same VNI and bytes there. */
    private static void reencapsulates(byte[] frame, int vni) {
        UnsafeBuffer packet = new UnsafeBuffer(new byte[Ipv4Encapsulator.HEADROOM + frame.length]);
        packet.putBytes(Ipv4Encapsulator.HEADROOM, frame);
        int length = ENCAPSULATOR.encapsulate(packet, 0, frame.length, vni, Ipv4.parse("192.168.50.2"));
        int at = ENCAPSULATOR.decapsulate(packet, 0, length);
        assertEquals(Ipv4Encapsulator.HEADROOM - VxlanCodec.HEADER_LENGTH, at, "re-encapsulated");
        assertEquals(vni, VxlanCodec.decode(packet, at, length - at));
        byte[] inner = new byte[frame.length];
        packet.getBytes(Ipv4Encapsulator.HEADROOM, inner);
        assertArrayEquals(frame, inner);
    }
}
