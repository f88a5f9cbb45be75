package io.meshd.packet;

import org.agrona.DirectBuffer;

/**
 * Flyweight over the fixed IPv6 header (RFC 8200); addresses are read as two {@code long} halves.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                     Source Address (128 bits)                 +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                  Destination Address (128 bits)               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6View extends HeaderView {
    /** Offset of version, traffic class and flow label. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    /** Offset of the next header. */
    public static final int NEXT_HEADER_OFFSET = 6;
    /** Offset of the hop limit. */
    public static final int HOP_LIMIT_OFFSET = 7;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 8;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 24;
    /** Length of the fixed header. */
    public static final int HEADER_LENGTH = 40;

    /** Creates an unwrapped view; wrap it before use. */
    public Ipv6View() {
        super(HEADER_LENGTH);
    }

    /**
     * Points the view at an IPv6 header.
     *
     * @param buffer the buffer
     * @param offset where the header starts
     * @param length bytes available
     * @return this view
     * @throws FrameException if the header does not fit
     */
    public Ipv6View wrap(DirectBuffer buffer, int offset, int length) {
        wrapOrThrow(buffer, offset, length);
        return this;
    }

    /** Well formed: version 6 and the payload length fits in the window. */
    @Override
    public boolean isWellFormed() {
        return version() == 6 && HEADER_LENGTH + payloadLengthField() <= length;
    }

    /**
     * The version field.
     *
     * @return 6 for a valid header
     */
    public int version() {
        return u8(VERSION_OFFSET) >>> 4;
    }

    /**
     * The traffic class.
     *
     * @return 8 bits
     */
    public int trafficClass() {
        return i32(VERSION_OFFSET) >>> 20 & 0xFF;
    }

    /**
     * The flow label.
     *
     * @return 20 bits
     */
    public int flowLabel() {
        return i32(VERSION_OFFSET) & 0xF_FFFF;
    }

    /**
     * Sets version 6, the traffic class and the flow label.
     *
     * @param trafficClass 8 bits
     * @param flowLabel 20 bits
     * @return this view
     */
    public Ipv6View versionClassLabel(int trafficClass, int flowLabel) {
        putI32(VERSION_OFFSET, 6 << 28 | (trafficClass & 0xFF) << 20 | flowLabel & 0xF_FFFF);
        return this;
    }

    /**
     * The payload length field (extension headers included).
     *
     * @return bytes after the fixed header
     */
    public int payloadLengthField() {
        return u16(PAYLOAD_LENGTH_OFFSET);
    }

    /**
     * Sets the payload length field.
     *
     * @param payloadLength bytes after the fixed header
     * @return this view
     */
    public Ipv6View payloadLengthField(int payloadLength) {
        putU16(PAYLOAD_LENGTH_OFFSET, payloadLength);
        return this;
    }

    /**
     * The payload length as the header says.
     *
     * @return the payload length field
     * @throws FrameException if the header is not well formed
     */
    @Override
    public int payloadLength() {
        if (!isWellFormed()) {
            throw FrameException.malformed();
        }
        return payloadLengthField();
    }

    /**
     * The next header (the transport protocol when there are no extension headers).
     *
     * @return the protocol number
     */
    public int nextHeader() {
        return u8(NEXT_HEADER_OFFSET);
    }

    /**
     * Sets the next header.
     *
     * @param protocol the protocol number
     * @return this view
     */
    public Ipv6View nextHeader(int protocol) {
        putU8(NEXT_HEADER_OFFSET, protocol);
        return this;
    }

    /**
     * The hop limit.
     *
     * @return 0-255
     */
    public int hopLimit() {
        return u8(HOP_LIMIT_OFFSET);
    }

    /**
     * Sets the hop limit.
     *
     * @param hopLimit 0-255
     * @return this view
     */
    public Ipv6View hopLimit(int hopLimit) {
        putU8(HOP_LIMIT_OFFSET, hopLimit);
        return this;
    }

    /**
     * The high 64 bits of the source address.
     *
     * @return bytes 0-7 of the address
     */
    public long sourceHigh() {
        return i64(SOURCE_OFFSET);
    }

    /**
     * The low 64 bits of the source address.
     *
     * @return bytes 8-15 of the address
     */
    public long sourceLow() {
        return i64(SOURCE_OFFSET + 8);
    }

    /**
     * Sets the source address.
     *
     * @param high bytes 0-7
     * @param low bytes 8-15
     * @return this view
     */
    public Ipv6View source(long high, long low) {
        putI64(SOURCE_OFFSET, high);
        putI64(SOURCE_OFFSET + 8, low);
        return this;
    }

    /**
     * The high 64 bits of the destination address.
     *
     * @return bytes 0-7 of the address
     */
    public long destinationHigh() {
        return i64(DESTINATION_OFFSET);
    }

    /**
     * The low 64 bits of the destination address.
     *
     * @return bytes 8-15 of the address
     */
    public long destinationLow() {
        return i64(DESTINATION_OFFSET + 8);
    }

    /**
     * Sets the destination address.
     *
     * @param high bytes 0-7
     * @param low bytes 8-15
     * @return this view
     */
    public Ipv6View destination(long high, long low) {
        putI64(DESTINATION_OFFSET, high);
        putI64(DESTINATION_OFFSET + 8, low);
        return this;
    }
}
