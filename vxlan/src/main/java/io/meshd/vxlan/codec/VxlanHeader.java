package io.meshd.vxlan.codec;

import io.meshd.packet.FrameException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over the 8-byte VXLAN header of RFC 7348, section 5.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The I flag (0x08) must be set; the R bits are written as zero and ignored on receipt, as the RFC says. Static
 * accessors work on any buffer position so the codec needs no view instance.
 */
public final class VxlanHeader {
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the 32-bit word holding the VNI in its high 24 bits. */
    public static final int VNI_OFFSET = 4;
    /** Length of the header. */
    public static final int LENGTH = 8;
    /** The I flag: the VNI is valid. */
    public static final int FLAG_VNI_VALID = 0x08;
    /** The largest VNI (24 bits). */
    public static final int MAX_VNI = 0xFF_FFFF;

    private DirectBuffer buffer;
    private int offset;

    /** Creates an unwrapped view; wrap it before use. */
    public VxlanHeader() {
    }

    /**
     * Points the view at a header.
     *
     * @param buffer the buffer
     * @param offset where the header starts
     * @return this view
     * @throws FrameException if the header does not fit in the buffer
     */
    public VxlanHeader wrap(DirectBuffer buffer, int offset) {
        if (offset < 0 || (long) offset + LENGTH > buffer.capacity()) {
            throw FrameException.truncated();
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The flags byte.
     *
     * @return 8 bits
     */
    public int flags() {
        return flags(buffer, offset);
    }

    /**
     * Whether the I flag is set.
     *
     * @return true for a valid header
     */
    public boolean hasVni() {
        return (flags() & FLAG_VNI_VALID) != 0;
    }

    /**
     * The VNI.
     *
     * @return 0 to {@link #MAX_VNI}
     */
    public int vni() {
        return vni(buffer, offset);
    }

    /**
     * Writes a header with the I flag, zero reserved bits and this VNI.
     *
     * @param vni 0 to {@link #MAX_VNI}
     * @return this view
     */
    public VxlanHeader write(int vni) {
        if (!(buffer instanceof MutableDirectBuffer)) {
            throw new FrameException("view wraps a read-only buffer");
        }
        write((MutableDirectBuffer) buffer, offset, vni);
        return this;
    }

    /**
     * The flags byte at a position.
     *
     * @param buffer the buffer
     * @param offset where the header starts
     * @return 8 bits
     */
    public static int flags(DirectBuffer buffer, int offset) {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * The VNI at a position; the reserved low byte is ignored.
     *
     * @param buffer the buffer
     * @param offset where the header starts
     * @return 0 to {@link #MAX_VNI}
     */
    public static int vni(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset + VNI_OFFSET, ByteOrder.BIG_ENDIAN) >>> 8;
    }

    /**
     * Writes the header at a position: flags 0x08, the reserved bits zero, the VNI.
     *
     * @param buffer the buffer
     * @param offset where the header starts
     * @param vni 0 to {@link #MAX_VNI} (higher bits are cut off; validate VNIs where they are configured)
     */
    public static void write(MutableDirectBuffer buffer, int offset, int vni) {
        buffer.putInt(offset + FLAGS_OFFSET, FLAG_VNI_VALID << 24, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + VNI_OFFSET, vni << 8, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Checks a VNI where it enters the system (configuration, API), never on the packet path.
     *
     * @param vni the VNI
     * @return the VNI
     * @throws IllegalArgumentException if it is not a 24-bit value
     */
    public static int checkVni(int vni) {
        if (vni < 0 || vni > MAX_VNI) {
            throw new IllegalArgumentException("VNI must be 0.." + MAX_VNI + ": " + vni);
        }
        return vni;
    }
}
