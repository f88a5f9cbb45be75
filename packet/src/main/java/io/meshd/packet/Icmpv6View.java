package io.meshd.packet;

import org.agrona.DirectBuffer;

/**
 * Flyweight over an ICMPv6 message (RFC 4443); the layout is drawn in {@link IcmpMessageView}.
 *
 * <p>Types below 128 are errors and quote the IPv6 packet that caused them (as much as fits in the minimum MTU of
 * 1280 bytes); "packet too big" carries the next hop's MTU as the whole second word. Unlike ICMPv4 the checksum
 * also covers the IPv6 pseudo-header: pass {@link Checksums#pseudoHeaderIpv6} with protocol
 * {@link #PROTOCOL_ICMPV6} and the message length.
 */
public final class Icmpv6View extends IcmpMessageView {
    /** Next-header number of ICMPv6. */
    public static final int PROTOCOL_ICMPV6 = 58;
    /** Offset of the MTU of a "packet too big" error. */
    public static final int MTU_OFFSET = 4;
    /** Type of a destination unreachable error. */
    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    /** Type of a packet too big error. */
    public static final int TYPE_PACKET_TOO_BIG = 2;
    /** Type of a time exceeded error. */
    public static final int TYPE_TIME_EXCEEDED = 3;
    /** Type of a parameter problem error. */
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    /** Type of an echo request. */
    public static final int TYPE_ECHO_REQUEST = 128;
    /** Type of an echo reply. */
    public static final int TYPE_ECHO_REPLY = 129;
    /** Type of a neighbor solicitation (RFC 4861). */
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    /** Type of a neighbor advertisement (RFC 4861). */
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;
    private static final int FIRST_INFORMATIONAL_TYPE = 128;

    /** Creates an unwrapped view; wrap it before use. */
    public Icmpv6View() {
    }

    /**
     * Points the view at an ICMPv6 message.
     *
     * @param buffer the buffer
     * @param offset where the message starts
     * @param length the message length: the IPv6 payload length
     * @return this view
     * @throws FrameException if the 8-byte header does not fit
     */
    public Icmpv6View wrap(DirectBuffer buffer, int offset, int length) {
        wrapOrThrow(buffer, offset, length);
        return this;
    }

    @Override
    public boolean isError() {
        return type() < FIRST_INFORMATIONAL_TYPE;
    }

    @Override
    public boolean isEcho() {
        int type = type();
        return type == TYPE_ECHO_REQUEST || type == TYPE_ECHO_REPLY;
    }

    /** The quoted packet starts with a whole IPv6 header. */
    @Override
    boolean invokingHeaderFits() {
        return quotesIpHeader(6, Ipv6View.HEADER_LENGTH);
    }

    /**
     * Whether this is a "packet too big" error, the one path MTU discovery relies on.
     *
     * @return true for type 2
     */
    public boolean isPacketTooBig() {
        return type() == TYPE_PACKET_TOO_BIG;
    }

    /**
     * The MTU of a "packet too big" error.
     *
     * @return 32 bits, unsigned
     */
    public long mtu() {
        return i32(MTU_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * Sets the type and code.
     *
     * @param type e.g. {@link #TYPE_ECHO_REQUEST}
     * @param code 0 for echo
     * @return this view
     */
    public Icmpv6View typeAndCode(int type, int code) {
        putTypeAndCode(type, code);
        return this;
    }

    /**
     * Sets the identifier and sequence number of an echo message.
     *
     * @param identifier 16 bits
     * @param sequence 16 bits
     * @return this view
     */
    public Icmpv6View echo(int identifier, int sequence) {
        putEcho(identifier, sequence);
        return this;
    }

    /**
     * Sets the checksum field.
     *
     * @param checksum 16 bits
     * @return this view
     */
    public Icmpv6View checksum(int checksum) {
        putChecksum(checksum);
        return this;
    }

    /**
     * Computes the checksum over the pseudo-header and the whole message as it is now, and writes it.
     *
     * @param pseudoHeaderSum {@link Checksums#pseudoHeaderIpv6} for this message
     * @return this view
     */
    public Icmpv6View updateChecksum(long pseudoHeaderSum) {
        putChecksum(computeChecksum(pseudoHeaderSum));
        return this;
    }

    /**
     * Whether the checksum verifies over the pseudo-header and the whole window.
     *
     * @param pseudoHeaderSum {@link Checksums#pseudoHeaderIpv6} for this message
     * @return true if the one's complement sum is all ones
     */
    public boolean hasValidChecksum(long pseudoHeaderSum) {
        return sumsToAllOnes(pseudoHeaderSum);
    }
}
