package io.meshd.packet;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a UDP header (RFC 768).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class UdpView extends HeaderView {
    /** Offset of the source port. */
    public static final int SOURCE_PORT_OFFSET = 0;
    /** Offset of the destination port. */
    public static final int DESTINATION_PORT_OFFSET = 2;
    /** Offset of the length. */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 6;
    /** Length of the header. */
    public static final int HEADER_LENGTH = 8;

    /** Creates an unwrapped view; wrap it before use. */
    public UdpView() {
        super(HEADER_LENGTH);
    }

    /**
     * Points the view at a UDP header.
     *
     * @param buffer the buffer
     * @param offset where the header starts
     * @param length bytes available (header and payload)
     * @return this view
     * @throws FrameException if the header does not fit
     */
    public UdpView wrap(DirectBuffer buffer, int offset, int length) {
        wrapOrThrow(buffer, offset, length);
        return this;
    }

    /** Well formed: 8 &lt;= length field &lt;= bytes available. */
    @Override
    public boolean isWellFormed() {
        int datagramLength = datagramLength();
        return datagramLength >= HEADER_LENGTH && datagramLength <= length;
    }

    /**
     * The source port.
     *
     * @return 0-65535
     */
    public int sourcePort() {
        return u16(SOURCE_PORT_OFFSET);
    }

    /**
     * Sets the source port.
     *
     * @param port 0-65535
     * @return this view
     */
    public UdpView sourcePort(int port) {
        putU16(SOURCE_PORT_OFFSET, port);
        return this;
    }

    /**
     * The destination port.
     *
     * @return 0-65535
     */
    public int destinationPort() {
        return u16(DESTINATION_PORT_OFFSET);
    }

    /**
     * Sets the destination port.
     *
     * @param port 0-65535
     * @return this view
     */
    public UdpView destinationPort(int port) {
        putU16(DESTINATION_PORT_OFFSET, port);
        return this;
    }

    /**
     * The length field: header plus payload.
     *
     * @return bytes
     */
    public int datagramLength() {
        return u16(LENGTH_OFFSET);
    }

    /**
     * Sets the length field.
     *
     * @param length header plus payload bytes
     * @return this view
     */
    public UdpView datagramLength(int length) {
        putU16(LENGTH_OFFSET, length);
        return this;
    }

    /**
     * The payload length as the length field says.
     *
     * @return length field minus 8
     * @throws FrameException if the header is not well formed
     */
    @Override
    public int payloadLength() {
        if (!isWellFormed()) {
            throw FrameException.malformed();
        }
        return datagramLength() - HEADER_LENGTH;
    }

    /**
     * The checksum field; 0 means none was computed (IPv4 only).
     *
     * @return 16 bits
     */
    public int checksum() {
        return u16(CHECKSUM_OFFSET);
    }

    /**
     * Sets the checksum field.
     *
     * @param checksum 16 bits
     * @return this view
     */
    public UdpView checksum(int checksum) {
        putU16(CHECKSUM_OFFSET, checksum);
        return this;
    }
}
