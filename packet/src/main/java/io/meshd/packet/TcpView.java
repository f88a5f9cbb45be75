package io.meshd.packet;

import org.agrona.DirectBuffer;

/**
 * Flyweight over a TCP header (RFC 9293), options included.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |     |N|C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsv |S|W|C|R|C|S|S|Y|I|            Window             |
 * |       |     | |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (data offset > 5)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TcpView extends HeaderView {
    /** Offset of the source port. */
    public static final int SOURCE_PORT_OFFSET = 0;
    /** Offset of the destination port. */
    public static final int DESTINATION_PORT_OFFSET = 2;
    /** Offset of the sequence number. */
    public static final int SEQUENCE_OFFSET = 4;
    /** Offset of the acknowledgment number. */
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    /** Offset of the data offset and flags. */
    public static final int DATA_OFFSET_FLAGS_OFFSET = 12;
    /** Offset of the window. */
    public static final int WINDOW_OFFSET = 14;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 16;
    /** Offset of the urgent pointer. */
    public static final int URGENT_OFFSET = 18;
    /** Length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** FIN flag. */
    public static final int FIN = 0x01;
    /** SYN flag. */
    public static final int SYN = 0x02;
    /** RST flag. */
    public static final int RST = 0x04;
    /** PSH flag. */
    public static final int PSH = 0x08;
    /** ACK flag. */
    public static final int ACK = 0x10;
    /** URG flag. */
    public static final int URG = 0x20;

    /** Creates an unwrapped view; wrap it before use. */
    public TcpView() {
        super(MIN_HEADER_LENGTH);
    }

    /**
     * Points the view at a TCP header.
     *
     * @param buffer the buffer
     * @param offset where the header starts
     * @param length bytes available (header and payload)
     * @return this view
     * @throws FrameException if the fixed header does not fit
     */
    public TcpView wrap(DirectBuffer buffer, int offset, int length) {
        wrapOrThrow(buffer, offset, length);
        return this;
    }

    /** Well formed: 20 &lt;= data offset * 4 &lt;= bytes available. */
    @Override
    public boolean isWellFormed() {
        int headerLength = headerLength();
        return headerLength >= MIN_HEADER_LENGTH && headerLength <= length;
    }

    /** The header length from the data offset field, in bytes (not checked against the window). */
    @Override
    public int headerLength() {
        return (u8(DATA_OFFSET_FLAGS_OFFSET) >>> 4) * 4;
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
    public TcpView sourcePort(int port) {
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
    public TcpView destinationPort(int port) {
        putU16(DESTINATION_PORT_OFFSET, port);
        return this;
    }

    /**
     * The sequence number.
     *
     * @return 32 bits, unsigned
     */
    public long sequenceNumber() {
        return i32(SEQUENCE_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * Sets the sequence number.
     *
     * @param sequence 32 bits
     * @return this view
     */
    public TcpView sequenceNumber(long sequence) {
        putI32(SEQUENCE_OFFSET, (int) sequence);
        return this;
    }

    /**
     * The acknowledgment number.
     *
     * @return 32 bits, unsigned
     */
    public long acknowledgmentNumber() {
        return i32(ACKNOWLEDGMENT_OFFSET) & 0xFFFF_FFFFL;
    }

    /**
     * Sets the acknowledgment number.
     *
     * @param acknowledgment 32 bits
     * @return this view
     */
    public TcpView acknowledgmentNumber(long acknowledgment) {
        putI32(ACKNOWLEDGMENT_OFFSET, (int) acknowledgment);
        return this;
    }

    /**
     * The nine flag bits (NS down to FIN).
     *
     * @return e.g. {@code SYN | ACK}
     */
    public int flags() {
        return u16(DATA_OFFSET_FLAGS_OFFSET) & 0x01FF;
    }

    /**
     * Sets the header length and the flags.
     *
     * @param headerLength a multiple of 4 from 20 to 60
     * @param flags e.g. {@code SYN | ACK}
     * @return this view
     */
    public TcpView headerLengthAndFlags(int headerLength, int flags) {
        putU16(DATA_OFFSET_FLAGS_OFFSET, (headerLength >>> 2 & 0x0F) << 12 | flags & 0x01FF);
        return this;
    }

    /**
     * The receive window.
     *
     * @return 0-65535
     */
    public int window() {
        return u16(WINDOW_OFFSET);
    }

    /**
     * Sets the receive window.
     *
     * @param window 0-65535
     * @return this view
     */
    public TcpView window(int window) {
        putU16(WINDOW_OFFSET, window);
        return this;
    }

    /**
     * The checksum field.
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
    public TcpView checksum(int checksum) {
        putU16(CHECKSUM_OFFSET, checksum);
        return this;
    }

    /**
     * The urgent pointer.
     *
     * @return 0-65535
     */
    public int urgentPointer() {
        return u16(URGENT_OFFSET);
    }
}
