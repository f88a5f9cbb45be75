package io.meshd.packet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The common part of the flyweight header views: a window ({@code offset}, {@code length}) on a buffer, bounds
 * checked once when wrapped, and big-endian field access relative to the window.
 *
 * <p>Wrapping checks only that the fixed part of the header fits; it reads no field, so a view can also be wrapped
 * around fresh memory to write a header. {@link #isWellFormed()} then checks what the fields say (version,
 * variable header length, length fields) against the window. Accessors of fixed fields never leave the window;
 * accessors that depend on a length field throw {@link FrameException} instead of reading past it. A view is not
 * thread-safe and is meant to be reused: keep one per thread.
 */
public abstract class HeaderView {
    private static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;
    private final int fixedLength;
    DirectBuffer buffer;
    int offset;
    int length;

    HeaderView(int fixedLength) {
        this.fixedLength = fixedLength;
    }

    /**
     * Points the view at a window of the buffer if the fixed header fits in it; never throws for bad bounds.
     *
     * @param buffer the buffer holding the header
     * @param offset where the header starts
     * @param length bytes available from {@code offset} (the header and what follows it)
     * @return false, leaving the view unchanged, if the window is outside the buffer or shorter than the header
     */
    public final boolean tryWrap(DirectBuffer buffer, int offset, int length) {
        if (offset < 0 || length < fixedLength || (long) offset + length > buffer.capacity()) {
            return false;
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return true;
    }

    final void wrapOrThrow(DirectBuffer buffer, int offset, int length) {
        if (!tryWrap(buffer, offset, length)) {
            throw FrameException.truncated();
        }
    }

    /**
     * Whether the header's fields are consistent with each other and with the window (see the subclass).
     *
     * @return true if every length field fits in the window and fixed-value fields hold their value
     */
    public abstract boolean isWellFormed();

    /**
     * The wrapped buffer.
     *
     * @return the buffer
     */
    public final DirectBuffer buffer() {
        return buffer;
    }

    /**
     * Where the header starts in the buffer.
     *
     * @return the offset
     */
    public final int offset() {
        return offset;
    }

    /**
     * The bytes available from {@link #offset()}, header included.
     *
     * @return the window length
     */
    public final int length() {
        return length;
    }

    /**
     * The header's length in bytes; the fixed length unless the header says otherwise.
     *
     * @return the header length
     */
    public int headerLength() {
        return fixedLength;
    }

    /**
     * Where the payload starts in the buffer.
     *
     * @return the absolute payload offset
     * @throws FrameException if a variable header length field points past the window
     */
    public final int payloadOffset() {
        int headerLength = headerLength();
        if (headerLength < fixedLength || headerLength > length) {
            throw FrameException.malformed();
        }
        return offset + headerLength;
    }

    /**
     * Bytes after the header up to the end of the window (see subclasses that bound it by a length field).
     *
     * @return the payload length
     * @throws FrameException if a length field points past the window
     */
    public int payloadLength() {
        return offset + length - payloadOffset();
    }

    final int fixedLength() {
        return fixedLength;
    }

    final int u8(int at) {
        return buffer.getByte(offset + at) & 0xFF;
    }

    final int u16(int at) {
        return buffer.getShort(offset + at, NETWORK) & 0xFFFF;
    }

    final int i32(int at) {
        return buffer.getInt(offset + at, NETWORK);
    }

    final long i64(int at) {
        return buffer.getLong(offset + at, NETWORK);
    }

    final long mac(int at) {
        return MacAddress.read(buffer, offset + at);
    }

    final void putU8(int at, int value) {
        mutable().putByte(offset + at, (byte) value);
    }

    final void putU16(int at, int value) {
        mutable().putShort(offset + at, (short) value, NETWORK);
    }

    final void putI32(int at, int value) {
        mutable().putInt(offset + at, value, NETWORK);
    }

    final void putI64(int at, long value) {
        mutable().putLong(offset + at, value, NETWORK);
    }

    final void putMac(int at, long mac) {
        MacAddress.write(mutable(), offset + at, mac);
    }

    private MutableDirectBuffer mutable() {
        if (buffer instanceof MutableDirectBuffer) {
            return (MutableDirectBuffer) buffer;
        }
        throw new FrameException("view wraps a read-only buffer");
    }
}
