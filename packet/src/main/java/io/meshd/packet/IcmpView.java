package io.meshd.packet;

import org.agrona.DirectBuffer;

/**
 * Flyweight over an ICMPv4 message (RFC 792); the layout is drawn in {@link IcmpMessageView}.
 *
 * <p>Error messages (destination unreachable, redirect, time exceeded, parameter problem, source quench) quote the
 * IPv4 header of the packet that caused them and at least 8 bytes of its payload (Linux quotes up to 576 bytes in
 * all). "Fragmentation needed" (type 3, code 4, RFC 1191) carries the next hop's MTU in the low half of the second
 * word. The checksum covers the whole message and no pseudo-header.
 */
public final class IcmpView extends IcmpMessageView {
    /** Offset of the next-hop MTU of a "fragmentation needed" error. */
    public static final int NEXT_HOP_MTU_OFFSET = 6;
    /** Type of an echo reply. */
    public static final int TYPE_ECHO_REPLY = 0;
    /** Type of a destination unreachable error. */
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    /** Type of a source quench error (deprecated by RFC 6633, still an error to NAT). */
    public static final int TYPE_SOURCE_QUENCH = 4;
    /** Type of a redirect. */
    public static final int TYPE_REDIRECT = 5;
    /** Type of an echo request. */
    public static final int TYPE_ECHO_REQUEST = 8;
    /** Type of a time exceeded error. */
    public static final int TYPE_TIME_EXCEEDED = 11;
    /** Type of a parameter problem error. */
    public static final int TYPE_PARAMETER_PROBLEM = 12;
    /** Destination unreachable code: port unreachable. */
    public static final int CODE_PORT_UNREACHABLE = 3;
    /** Destination unreachable code: fragmentation needed and DF set. */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    /** Creates an unwrapped view; wrap it before use. */
    public IcmpView() {
    }

    /**
     * Points the view at an ICMPv4 message.
     *
     * @param buffer the buffer
     * @param offset where the message starts
     * @param length the message length: the IPv4 payload length
     * @return this view
     * @throws FrameException if the 8-byte header does not fit
     */
    public IcmpView wrap(DirectBuffer buffer, int offset, int length) {
        wrapOrThrow(buffer, offset, length);
        return this;
    }

    @Override
    public boolean isError() {
        int type = type();
        return type == TYPE_DESTINATION_UNREACHABLE || type == TYPE_SOURCE_QUENCH || type == TYPE_REDIRECT
            || type == TYPE_TIME_EXCEEDED || type == TYPE_PARAMETER_PROBLEM;
    }

    @Override
    public boolean isEcho() {
        int type = type();
        return type == TYPE_ECHO_REQUEST || type == TYPE_ECHO_REPLY;
    }

    /** The quoted packet starts with an IPv4 header whose IHL is at least 5 and fits in the window. */
    @Override
    boolean invokingHeaderFits() {
        if (!quotesIpHeader(4, Ipv4View.MIN_HEADER_LENGTH)) {
            return false;
        }
        int headerLength = (u8(HEADER_LENGTH) & 0x0F) * 4;
        return headerLength >= Ipv4View.MIN_HEADER_LENGTH && HEADER_LENGTH + headerLength <= length;
    }

    /**
     * Whether this is a "fragmentation needed" error, the one path MTU discovery relies on.
     *
     * @return true for type 3 code 4
     */
    public boolean isFragmentationNeeded() {
        return type() == TYPE_DESTINATION_UNREACHABLE && code() == CODE_FRAGMENTATION_NEEDED;
    }

    /**
     * The next hop's MTU of a "fragmentation needed" error (0 from routers older than RFC 1191).
     *
     * @return 0-65535
     */
    public int nextHopMtu() {
        return u16(NEXT_HOP_MTU_OFFSET);
    }

    /**
     * Sets the type and code.
     *
     * @param type e.g. {@link #TYPE_ECHO_REQUEST}
     * @param code 0 for echo
     * @return this view
     */
    public IcmpView typeAndCode(int type, int code) {
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
    public IcmpView echo(int identifier, int sequence) {
        putEcho(identifier, sequence);
        return this;
    }

    /**
     * Sets the checksum field.
     *
     * @param checksum 16 bits
     * @return this view
     */
    public IcmpView checksum(int checksum) {
        putChecksum(checksum);
        return this;
    }

    /**
     * Computes the checksum over the whole message as it is now and writes it.
     *
     * @return this view
     */
    public IcmpView updateChecksum() {
        putChecksum(computeChecksum(0));
        return this;
    }

    /**
     * Whether the checksum verifies over the whole window.
     *
     * @return true if the one's complement sum of the message is all ones
     */
    public boolean hasValidChecksum() {
        return sumsToAllOnes(0);
    }
}
