package io.meshd.vxlan.codec;

import io.meshd.packet.FlowHash;

import io.meshd.packet.Checksums;
import io.meshd.packet.Ipv4View;
import io.meshd.packet.UdpView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Complete VXLAN-over-IPv4 packets, for paths that build the outer headers themselves (raw sockets, packet
 * captures, tests): {@link #encapsulate} writes IPv4, UDP (checksum on, as Linux does) and VXLAN headers in the
 * {@link #HEADROOM} bytes in front of an inner frame; {@link #decapsulate} validates them. A socket-based VTEP needs
 * only {@link VxlanCodec}, the kernel writes the outer headers.
 *
 * <pre>
 * offset: | IPv4 (20) | UDP (8) | VXLAN (8) | inner Ethernet frame ... |
 *         |&lt;------------- HEADROOM (36) --------&gt;|
 * </pre>
 *
 * <p>Thread-safe and allocation-free; the outer UDP source port is the inner flow's {@link FlowHash} in the
 * configured range, the IPv4 identification a per-encapsulator counter, DF clear (the Linux default).
 */
public final class Ipv4Encapsulator {
    /** Bytes of outer IPv4, UDP and VXLAN headers in front of the inner frame. */
    public static final int HEADROOM = Ipv4View.MIN_HEADER_LENGTH + UdpView.HEADER_LENGTH + VxlanHeader.LENGTH;
    private static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;
    private static final int UDP_AT = Ipv4View.MIN_HEADER_LENGTH;
    private static final int VXLAN_AT = UDP_AT + UdpView.HEADER_LENGTH;
    private final int sourceAddress;
    private final int destinationPort;
    private final int lowPort;
    private final int highPort;
    private final int ttl;
    private final boolean udpChecksum;
    private final AtomicInteger identification = new AtomicInteger();

    private Ipv4Encapsulator(Builder builder) {
        this.sourceAddress = builder.sourceAddress;
        this.destinationPort = builder.destinationPort;
        this.lowPort = builder.lowPort;
        this.highPort = builder.highPort;
        this.ttl = builder.ttl;
        this.udpChecksum = builder.udpChecksum;
    }

    /**
     * Starts a builder: destination port 4789, source ports {@link FlowHash#DEFAULT_LOW}-{@link
     * FlowHash#DEFAULT_HIGH}, TTL 64, UDP checksum on; the source address must be set.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes the outer headers in front of an inner frame that is already at {@code offset + HEADROOM}.
     *
     * @param buffer the buffer
     * @param offset where the IPv4 header goes
     * @param frameLength the inner frame's length
     * @param vni the network, 24 bits
     * @param destination the remote VTEP's IPv4 address
     * @return the packet length, {@code HEADROOM + frameLength}
     * @throws IllegalArgumentException if the packet would exceed 65,535 bytes or the VNI is not 24 bits
     */
    public int encapsulate(MutableDirectBuffer buffer, int offset, int frameLength, int vni, int destination) {
        int totalLength = HEADROOM + frameLength;
        if (frameLength < 0 || totalLength > 0xFFFF) {
            throw new IllegalArgumentException("inner frame of " + frameLength + " bytes does not fit in IPv4");
        }
        int udpLength = totalLength - UDP_AT;
        int sourcePort = FlowHash.sourcePort(buffer, offset + HEADROOM, frameLength, lowPort, highPort);
        VxlanCodec.encode(buffer, offset + VXLAN_AT, vni);

        buffer.putByte(offset, (byte) 0x45);
        buffer.putByte(offset + Ipv4View.TOS_OFFSET, (byte) 0);
        buffer.putShort(offset + Ipv4View.TOTAL_LENGTH_OFFSET, (short) totalLength, NETWORK);
        buffer.putShort(offset + Ipv4View.IDENTIFICATION_OFFSET, (short) identification.getAndIncrement(), NETWORK);
        buffer.putShort(offset + Ipv4View.FRAGMENT_OFFSET, (short) 0, NETWORK);
        buffer.putByte(offset + Ipv4View.TTL_OFFSET, (byte) ttl);
        buffer.putByte(offset + Ipv4View.PROTOCOL_OFFSET, (byte) Ipv4View.PROTOCOL_UDP);
        buffer.putInt(offset + Ipv4View.SOURCE_OFFSET, sourceAddress, NETWORK);
        buffer.putInt(offset + Ipv4View.DESTINATION_OFFSET, destination, NETWORK);
        buffer.putShort(offset + Ipv4View.CHECKSUM_OFFSET,
            (short) Checksums.ipv4Header(buffer, offset, Ipv4View.MIN_HEADER_LENGTH), NETWORK);

        int udp = offset + UDP_AT;
        buffer.putShort(udp + UdpView.SOURCE_PORT_OFFSET, (short) sourcePort, NETWORK);
        buffer.putShort(udp + UdpView.DESTINATION_PORT_OFFSET, (short) destinationPort, NETWORK);
        buffer.putShort(udp + UdpView.LENGTH_OFFSET, (short) udpLength, NETWORK);
        int checksum = 0;
        if (udpChecksum) {
            long pseudo = Checksums.pseudoHeaderIpv4(sourceAddress, destination, Ipv4View.PROTOCOL_UDP, udpLength);
            checksum = Checksums.udp(Checksums.transport(buffer, udp, udpLength, pseudo, UdpView.CHECKSUM_OFFSET));
        }
        buffer.putShort(udp + UdpView.CHECKSUM_OFFSET, (short) checksum, NETWORK);
        return totalLength;
    }

    /**
     * Validates an IPv4 packet carrying VXLAN to this encapsulator's port: version 4, a header length and total
     * length that fit, an unfragmented UDP datagram, a valid IPv4 header checksum, a UDP length that fits and a
     * valid UDP checksum unless it is zero (none). Never throws.
     *
     * @param buffer the buffer
     * @param offset where the IPv4 header starts
     * @param length bytes available
     * @return the offset of the VXLAN header (hand it to {@link VxlanCodec#decode} with the UDP payload length,
     *     {@code udpLength - 8}), or a negated {@link DropReason#code()}: TRUNCATED or BAD_OUTER_HEADER
     */
    public int decapsulate(DirectBuffer buffer, int offset, int length) {
        if (offset < 0 || length < HEADROOM || (long) offset + length > buffer.capacity()) {
            return -DropReason.TRUNCATED.code();
        }
        int versionIhl = buffer.getByte(offset) & 0xFF;
        int headerLength = (versionIhl & 0x0F) * 4;
        int totalLength = buffer.getShort(offset + Ipv4View.TOTAL_LENGTH_OFFSET, NETWORK) & 0xFFFF;
        if (versionIhl >>> 4 != 4 || headerLength < Ipv4View.MIN_HEADER_LENGTH || totalLength > length
            || totalLength < headerLength + UdpView.HEADER_LENGTH + VxlanHeader.LENGTH
            || (buffer.getByte(offset + Ipv4View.PROTOCOL_OFFSET) & 0xFF) != Ipv4View.PROTOCOL_UDP
            || (buffer.getShort(offset + Ipv4View.FRAGMENT_OFFSET, NETWORK) & 0x3FFF) != 0
            || Checksums.fold(Checksums.sum(buffer, offset, headerLength, 0)) != 0xFFFF) {
            return -DropReason.BAD_OUTER_HEADER.code();
        }
        int udp = offset + headerLength;
        int udpLength = buffer.getShort(udp + UdpView.LENGTH_OFFSET, NETWORK) & 0xFFFF;
        int checksum = buffer.getShort(udp + UdpView.CHECKSUM_OFFSET, NETWORK) & 0xFFFF;
        if ((buffer.getShort(udp + UdpView.DESTINATION_PORT_OFFSET, NETWORK) & 0xFFFF) != destinationPort
            || udpLength < UdpView.HEADER_LENGTH + VxlanHeader.LENGTH || udpLength > totalLength - headerLength) {
            return -DropReason.BAD_OUTER_HEADER.code();
        }
        if (checksum != 0) {
            long pseudo = Checksums.pseudoHeaderIpv4(buffer.getInt(offset + Ipv4View.SOURCE_OFFSET, NETWORK),
                buffer.getInt(offset + Ipv4View.DESTINATION_OFFSET, NETWORK), Ipv4View.PROTOCOL_UDP, udpLength);
            if (Checksums.fold(Checksums.sum(buffer, udp, udpLength, pseudo)) != 0xFFFF) {
                return -DropReason.BAD_OUTER_HEADER.code();
            }
        }
        return udp + UdpView.HEADER_LENGTH;
    }

    /**
     * Configures an {@link Ipv4Encapsulator}.
     */
    public static final class Builder {
        private int sourceAddress;
        private boolean sourceSet;
        private int destinationPort = VxlanCodec.DEFAULT_PORT;
        private int lowPort = FlowHash.DEFAULT_LOW;
        private int highPort = FlowHash.DEFAULT_HIGH;
        private int ttl = 64;
        private boolean udpChecksum = true;

        private Builder() {
        }

        /**
         * This VTEP's IPv4 address, the outer source.
         *
         * @param address the address
         * @return this builder
         */
        public Builder sourceAddress(int address) {
            this.sourceAddress = address;
            this.sourceSet = true;
            return this;
        }

        /**
         * The UDP port VXLAN goes to (and is accepted on).
         *
         * @param port 1-65535
         * @return this builder
         */
        public Builder destinationPort(int port) {
            if (port < 1 || port > 0xFFFF) {
                throw new IllegalArgumentException("bad UDP port " + port);
            }
            this.destinationPort = port;
            return this;
        }

        /**
         * The range outer source ports are hashed into.
         *
         * @param low lowest port
         * @param high highest port
         * @return this builder
         */
        public Builder sourcePortRange(int low, int high) {
            if (low < 1 || high > 0xFFFF || low > high) {
                throw new IllegalArgumentException("bad port range " + low + ".." + high);
            }
            this.lowPort = low;
            this.highPort = high;
            return this;
        }

        /**
         * The outer TTL.
         *
         * @param ttl 1-255
         * @return this builder
         */
        public Builder ttl(int ttl) {
            if (ttl < 1 || ttl > 255) {
                throw new IllegalArgumentException("bad TTL " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * Whether the outer UDP checksum is computed (on by default, as Linux does for IPv4).
         *
         * @param udpChecksum true to compute it, false to send 0
         * @return this builder
         */
        public Builder udpChecksum(boolean udpChecksum) {
            this.udpChecksum = udpChecksum;
            return this;
        }

        /**
         * Builds the encapsulator.
         *
         * @return the encapsulator
         * @throws IllegalStateException if no source address was set
         */
        public Ipv4Encapsulator build() {
            if (!sourceSet) {
                throw new IllegalStateException("the source address is required");
            }
            return new Ipv4Encapsulator(this);
        }
    }
}
