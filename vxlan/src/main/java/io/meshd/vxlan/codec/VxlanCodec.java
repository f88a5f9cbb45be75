package io.meshd.vxlan.codec;

import io.meshd.packet.EthernetView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encapsulation and decapsulation of Ethernet frames in VXLAN (RFC 7348). Stateless and static: the outer IP and
 * UDP headers belong to the socket, so this writes and checks only the 8-byte VXLAN header in front of the inner
 * frame. Decoding never throws on bad input; it returns a negated {@link DropReason#code()}.
 */
public final class VxlanCodec {
    /** The IANA-assigned UDP port for VXLAN. */
    public static final int DEFAULT_PORT = 4789;
    /** Bytes of VXLAN header in front of the inner frame. */
    public static final int HEADER_LENGTH = VxlanHeader.LENGTH;
    /** The shortest inner frame: an Ethernet header. */
    public static final int MIN_FRAME_LENGTH = EthernetView.HEADER_LENGTH;
    /** The longest inner frame {@link #decode(DirectBuffer, int, int)} accepts: a 64 KiB datagram's worth. */
    public static final int MAX_FRAME_LENGTH = 65_535;
    /**
     * Outer overhead on an IPv4 underlay: IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14 = 50, hence the overlay MTU
     * of 1450 on a 1500-byte underlay.
     */
    public static final int IPV4_OVERHEAD = 50;
    /** The largest UDP payload over IPv4: the most one VXLAN datagram, or one UDP GSO send of them, carries. */
    public static final int MAX_UDP_PAYLOAD = 65_507;
    /** The most datagrams one UDP GSO send may carry (Linux's {@code UDP_MAX_SEGMENTS}). */
    public static final int MAX_GSO_SEGMENTS = 64;

    private VxlanCodec() {
    }

    /**
     * How many VXLAN datagrams of inner frames up to an interface MTU of {@code mtu} fit one UDP GSO send: 44 for
     * the usual 1450. A TAP whose TSO super-frames hold no more segments than this has each super-frame sent with one
     * system call and received as one batch; one segment more and every super-frame needs a second, nearly empty
     * send, read and write.
     *
     * @param mtu the inner interface's MTU (the IP packet size), 68 or more
     * @return 1..{@link #MAX_GSO_SEGMENTS}
     */
    public static int datagramsPerGsoSend(int mtu) {
        int datagram = HEADER_LENGTH + EthernetView.HEADER_LENGTH + mtu;
        return Math.max(1, Math.min(MAX_GSO_SEGMENTS, MAX_UDP_PAYLOAD / datagram));
    }

    /**
     * Writes the VXLAN header in front of an inner frame that is already at {@code offset + 8}.
     *
     * @param buffer the buffer holding header room and frame
     * @param offset where the VXLAN header goes
     * @param vni the network, 0 to {@link VxlanHeader#MAX_VNI}
     * @return the header length, 8
     * @throws IllegalArgumentException if the VNI is not 24 bits (a configuration error, not bad input)
     */
    public static int encode(MutableDirectBuffer buffer, int offset, int vni) {
        VxlanHeader.write(buffer, offset, VxlanHeader.checkVni(vni));
        return HEADER_LENGTH;
    }

    /**
     * Checks a VXLAN payload (the UDP payload: header and inner frame) and returns its VNI.
     *
     * @param buffer the buffer
     * @param offset where the VXLAN header starts
     * @param length the UDP payload length
     * @return the VNI (&gt;= 0), or a negated drop reason code: TRUNCATED, BAD_FLAGS or OVERSIZED
     */
    public static int decode(DirectBuffer buffer, int offset, int length) {
        return decode(buffer, offset, length, MAX_FRAME_LENGTH);
    }

    /**
     * Checks a VXLAN payload against a smaller frame size limit.
     *
     * @param buffer the buffer
     * @param offset where the VXLAN header starts
     * @param length the UDP payload length
     * @param maxFrameLength the longest inner frame accepted
     * @return the VNI (&gt;= 0), or a negated drop reason code: TRUNCATED, BAD_FLAGS or OVERSIZED
     */
    public static int decode(DirectBuffer buffer, int offset, int length, int maxFrameLength) {
        if (offset < 0 || length < HEADER_LENGTH || (long) offset + length > buffer.capacity()) {
            return -DropReason.TRUNCATED.code();
        }
        if ((VxlanHeader.flags(buffer, offset) & VxlanHeader.FLAG_VNI_VALID) == 0) {
            return -DropReason.BAD_FLAGS.code();
        }
        int frameLength = length - HEADER_LENGTH;
        if (frameLength < MIN_FRAME_LENGTH) {
            return -DropReason.TRUNCATED.code();
        }
        if (frameLength > maxFrameLength) {
            return -DropReason.OVERSIZED.code();
        }
        return VxlanHeader.vni(buffer, offset);
    }
}
