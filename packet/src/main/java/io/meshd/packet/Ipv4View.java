package io.meshd.packet;

import org.agrona.DirectBuffer;

/**
 * Flyweight over an IPv4 header (RFC 791), options included.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL > 5)                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv4View extends HeaderView {
    /** Offset of the version and IHL byte. */
    public static final int VERSION_IHL_OFFSET = 0;
    /** Offset of the DSCP and ECN byte. */
    public static final int TOS_OFFSET = 1;
    /** Offset of the total length. */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Offset of the identification. */
    public static final int IDENTIFICATION_OFFSET = 4;
    /** Offset of the flags and fragment offset. */
    public static final int FRAGMENT_OFFSET = 6;
    /** Offset of the time to live. */
    public static final int TTL_OFFSET = 8;
    /** Offset of the protocol. */
    public static final int PROTOCOL_OFFSET = 9;
    /** Offset of the header checksum. */
    public static final int CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 16;
    /** Length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Protocol number of ICMP. */
    public static final int PROTOCOL_ICMP = 1;
    /** Protocol number of TCP. */
    public static final int PROTOCOL_TCP = 6;
    /** Protocol number of UDP. */
    public static final int PROTOCOL_UDP = 17;
    private static final int DONT_FRAGMENT = 0x4000;
    private static final int MORE_FRAGMENTS = 0x2000;
    private static final int FRAGMENT_MASK = 0x1FFF;

    /** Creates an unwrapped view; wrap it before use. */
    public Ipv4View() {
        super(MIN_HEADER_LENGTH);
    }

    /**
     * Points the view at an IPv4 header.
     *
     * @param buffer the buffer
     * @param offset where the header starts
     * @param length bytes available (header and payload, maybe link-layer padding)
     * @return this view
     * @throws FrameException if the fixed header does not fit
     */
    public Ipv4View wrap(DirectBuffer buffer, int offset, int length) {
        wrapOrThrow(buffer, offset, length);
        return this;
    }

    /** Well formed: version 4, 20 &lt;= IHL * 4 &lt;= total length &lt;= bytes available. */
    @Override
    public boolean isWellFormed() {
        int headerLength = headerLength();
        int totalLength = totalLength();
        return version() == 4 && headerLength >= MIN_HEADER_LENGTH && headerLength <= totalLength
            && totalLength <= length;
    }

    /**
     * The version field.
     *
     * @return 4 for a valid header
     */
    public int version() {
        return u8(VERSION_IHL_OFFSET) >>> 4;
    }

    /** The header length from the IHL field, in bytes (not checked against the window). */
    @Override
    public int headerLength() {
        return (u8(VERSION_IHL_OFFSET) & 0x0F) * 4;
    }

    /**
     * Sets version 4 and the header length.
     *
     * @param bytes a multiple of 4 from 20 to 60
     * @return this view
     */
    public Ipv4View headerLength(int bytes) {
        putU8(VERSION_IHL_OFFSET, 0x40 | (bytes >>> 2) & 0x0F);
        return this;
    }

    /**
     * The payload length as the total length field says.
     *
     * @return total length minus header length
     * @throws FrameException if the header is not well formed
     */
    @Override
    public int payloadLength() {
        if (!isWellFormed()) {
            throw FrameException.malformed();
        }
        return totalLength() - headerLength();
    }

    /**
     * The DSCP and ECN byte.
     *
     * @return the former type-of-service byte
     */
    public int tos() {
        return u8(TOS_OFFSET);
    }

    /**
     * Sets the DSCP and ECN byte.
     *
     * @param tos the byte
     * @return this view
     */
    public Ipv4View tos(int tos) {
        putU8(TOS_OFFSET, tos);
        return this;
    }

    /**
     * The total length field.
     *
     * @return header plus payload bytes
     */
    public int totalLength() {
        return u16(TOTAL_LENGTH_OFFSET);
    }

    /**
     * Sets the total length field.
     *
     * @param totalLength header plus payload bytes
     * @return this view
     */
    public Ipv4View totalLength(int totalLength) {
        putU16(TOTAL_LENGTH_OFFSET, totalLength);
        return this;
    }

    /**
     * The identification field.
     *
     * @return 16 bits
     */
    public int identification() {
        return u16(IDENTIFICATION_OFFSET);
    }

    /**
     * Sets the identification field.
     *
     * @param id 16 bits
     * @return this view
     */
    public Ipv4View identification(int id) {
        putU16(IDENTIFICATION_OFFSET, id);
        return this;
    }

    /**
     * The DF flag.
     *
     * @return true if set
     */
    public boolean dontFragment() {
        return (u16(FRAGMENT_OFFSET) & DONT_FRAGMENT) != 0;
    }

    /**
     * Whether this is a fragment (MF set or a non-zero offset), so no transport header may follow.
     *
     * @return true for any fragment
     */
    public boolean isFragment() {
        return (u16(FRAGMENT_OFFSET) & (MORE_FRAGMENTS | FRAGMENT_MASK)) != 0;
    }

    /**
     * The fragment offset in bytes.
     *
     * @return offset of this fragment in the original datagram
     */
    public int fragmentOffset() {
        return (u16(FRAGMENT_OFFSET) & FRAGMENT_MASK) * 8;
    }

    /**
     * Sets the flags and fragment offset field to a whole datagram, DF as given.
     *
     * @param dontFragment the DF flag
     * @return this view
     */
    public Ipv4View unfragmented(boolean dontFragment) {
        putU16(FRAGMENT_OFFSET, dontFragment ? DONT_FRAGMENT : 0);
        return this;
    }

    /**
     * The time to live.
     *
     * @return 0-255
     */
    public int ttl() {
        return u8(TTL_OFFSET);
    }

    /**
     * Sets the time to live.
     *
     * @param ttl 0-255
     * @return this view
     */
    public Ipv4View ttl(int ttl) {
        putU8(TTL_OFFSET, ttl);
        return this;
    }

    /**
     * The protocol of the payload.
     *
     * @return e.g. {@link #PROTOCOL_UDP}
     */
    public int protocol() {
        return u8(PROTOCOL_OFFSET);
    }

    /**
     * Sets the protocol of the payload.
     *
     * @param protocol e.g. {@link #PROTOCOL_UDP}
     * @return this view
     */
    public Ipv4View protocol(int protocol) {
        putU8(PROTOCOL_OFFSET, protocol);
        return this;
    }

    /**
     * The header checksum field.
     *
     * @return 16 bits
     */
    public int checksum() {
        return u16(CHECKSUM_OFFSET);
    }

    /**
     * Sets the header checksum field.
     *
     * @param checksum 16 bits
     * @return this view
     */
    public Ipv4View checksum(int checksum) {
        putU16(CHECKSUM_OFFSET, checksum);
        return this;
    }

    /**
     * Computes the header checksum over the header as it is now and writes it.
     *
     * @return this view
     * @throws FrameException if the IHL points past the window
     */
    public Ipv4View updateChecksum() {
        int headerLength = payloadOffset() - offset;
        putU16(CHECKSUM_OFFSET, Checksums.ipv4Header(buffer, offset, headerLength));
        return this;
    }

    /**
     * Whether the header checksum verifies.
     *
     * @return true if the one's complement sum of the header is all ones
     * @throws FrameException if the IHL points past the window
     */
    public boolean hasValidChecksum() {
        int headerLength = payloadOffset() - offset;
        return Checksums.fold(Checksums.sum(buffer, offset, headerLength, 0)) == 0xFFFF;
    }

    /**
     * The source address.
     *
     * @return the address
     */
    public int source() {
        return i32(SOURCE_OFFSET);
    }

    /**
     * Sets the source address.
     *
     * @param address the address
     * @return this view
     */
    public Ipv4View source(int address) {
        putI32(SOURCE_OFFSET, address);
        return this;
    }

    /**
     * The destination address.
     *
     * @return the address
     */
    public int destination() {
        return i32(DESTINATION_OFFSET);
    }

    /**
     * Sets the destination address.
     *
     * @param address the address
     * @return this view
     */
    public Ipv4View destination(int address) {
        putI32(DESTINATION_OFFSET, address);
        return this;
    }
}
