package io.meshd.packet;

/**
 * The part of an ICMP message that ICMPv4 (RFC 792) and ICMPv6 (RFC 4443) share: type, code, checksum, four
 * bytes whose meaning depends on the type, then the body. {@link IcmpView} and {@link Icmpv6View} add each
 * family's type numbers, its checksum rule and the IP version of the packet an error message quotes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Identifier (echo) / unused  | Sequence (echo) / next-hop MTU|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  echo data, or (errors) the invoking packet: as much of the   |
 * |  IP header and payload that caused the error as fits          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Wrap the view with the IP payload length ({@link Ipv4View#payloadLength()}, {@link Ipv6View#payloadLength()}),
 * not with what is left of the frame: the checksum covers exactly the message, and link-layer padding is not part
 * of it. The invoking packet of an error is usually cut short, so a view wrapped on it sees a total length larger
 * than its window: read its fixed fields (addresses, protocol, ports), do not expect it to be well formed.
 */
public abstract class IcmpMessageView extends HeaderView {
    /** Offset of the type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the code. */
    public static final int CODE_OFFSET = 1;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 2;
    /** Offset of the echo identifier. */
    public static final int IDENTIFIER_OFFSET = 4;
    /** Offset of the echo sequence number. */
    public static final int SEQUENCE_OFFSET = 6;
    /** Length of the header; also where the echo data or an error's invoking packet starts. */
    public static final int HEADER_LENGTH = 8;

    IcmpMessageView() {
        super(HEADER_LENGTH);
    }

    /**
     * Whether the type is an error message, which quotes the packet that caused it.
     *
     * @return true for an error type of this ICMP family
     */
    public abstract boolean isError();

    /**
     * Whether the type is an echo request or an echo reply, which carry an identifier and a sequence number.
     *
     * @return true for echo messages
     */
    public abstract boolean isEcho();

    /** The version, minimum header length and header length of the invoking packet fit in the window. */
    abstract boolean invokingHeaderFits();

    /**
     * Well formed: any message whose 8-byte header fits; an error message must also quote at least a whole IP
     * header of its family (version matching, its header length inside the window).
     */
    @Override
    public final boolean isWellFormed() {
        return !isError() || invokingHeaderFits();
    }

    /**
     * Where the quoted packet of an error message starts: its IP header, for the load balancer to find the
     * flow an error belongs to (and rewrite it).
     *
     * @return the absolute offset of the invoking packet's IP header
     * @throws FrameException if this is not an error message or it does not quote a whole IP header
     */
    public final int invokingPacketOffset() {
        if (!isError() || !invokingHeaderFits()) {
            throw FrameException.malformed();
        }
        return offset + HEADER_LENGTH;
    }

    /**
     * How many bytes of the invoking packet are quoted (usually fewer than its IP total length says).
     *
     * @return bytes from {@link #invokingPacketOffset()} to the end of the window
     * @throws FrameException if this is not an error message or it does not quote a whole IP header
     */
    public final int invokingPacketLength() {
        return offset + length - invokingPacketOffset();
    }

    /**
     * The type.
     *
     * @return 0-255
     */
    public final int type() {
        return u8(TYPE_OFFSET);
    }

    /**
     * The code, which refines the type.
     *
     * @return 0-255
     */
    public final int code() {
        return u8(CODE_OFFSET);
    }

    /**
     * Sets the type and code.
     *
     * @param type 0-255
     * @param code 0-255
     */
    final void putTypeAndCode(int type, int code) {
        putU8(TYPE_OFFSET, type);
        putU8(CODE_OFFSET, code);
    }

    /**
     * The checksum field.
     *
     * @return 16 bits
     */
    public final int checksum() {
        return u16(CHECKSUM_OFFSET);
    }

    /**
     * The echo identifier (meaningful for echo messages only).
     *
     * @return 16 bits
     */
    public final int identifier() {
        return u16(IDENTIFIER_OFFSET);
    }

    /**
     * The echo sequence number (meaningful for echo messages only).
     *
     * @return 16 bits
     */
    public final int sequence() {
        return u16(SEQUENCE_OFFSET);
    }

    final void putChecksum(int checksum) {
        putU16(CHECKSUM_OFFSET, checksum);
    }

    final void putEcho(int identifier, int sequence) {
        putU16(IDENTIFIER_OFFSET, identifier);
        putU16(SEQUENCE_OFFSET, sequence);
    }

    /** The checksum over the whole window, the field's current value skipped. */
    final int computeChecksum(long pseudoHeaderSum) {
        return Checksums.transport(buffer, offset, length, pseudoHeaderSum, CHECKSUM_OFFSET);
    }

    /** Whether the one's complement sum over the whole window, checksum included, is all ones. */
    final boolean sumsToAllOnes(long pseudoHeaderSum) {
        return Checksums.fold(Checksums.sum(buffer, offset, length, pseudoHeaderSum)) == 0xFFFF;
    }

    /**
     * Whether the window holds, after the header, at least {@code minHeaderLength} bytes starting with the
     * version nibble {@code version}; checked before any quoted byte is read.
     */
    final boolean quotesIpHeader(int version, int minHeaderLength) {
        return length >= HEADER_LENGTH + minHeaderLength && u8(HEADER_LENGTH) >>> 4 == version;
    }
}
