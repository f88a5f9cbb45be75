package io.meshd.packet;

import org.agrona.DirectBuffer;

/**
 * Flyweight over an Ethernet II header (no preamble, no FCS).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination MAC address                      |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                    Source MAC address                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          EtherType            |  payload ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>If the EtherType is {@link #TYPE_VLAN} the frame carries an 802.1Q tag: read it with {@link VlanView}.
 */
public final class EthernetView extends HeaderView {
    /** Offset of the destination MAC. */
    public static final int DESTINATION_OFFSET = 0;
    /** Offset of the source MAC. */
    public static final int SOURCE_OFFSET = 6;
    /** Offset of the EtherType (or of the 802.1Q TPID in a tagged frame). */
    public static final int ETHER_TYPE_OFFSET = 12;
    /** Length of the header. */
    public static final int HEADER_LENGTH = 14;
    /** EtherType of IPv4. */
    public static final int TYPE_IPV4 = 0x0800;
    /** EtherType of ARP. */
    public static final int TYPE_ARP = 0x0806;
    /** EtherType (TPID) of an 802.1Q VLAN tag. */
    public static final int TYPE_VLAN = 0x8100;
    /** EtherType (TPID) of an 802.1ad service tag. */
    public static final int TYPE_QINQ = 0x88A8;
    /** EtherType of IPv6. */
    public static final int TYPE_IPV6 = 0x86DD;
    /** The smallest EtherType value; smaller values are IEEE 802.3 lengths. */
    public static final int MIN_ETHER_TYPE = 0x0600;

    /** Creates an unwrapped view; wrap it before use. */
    public EthernetView() {
        super(HEADER_LENGTH);
    }

    /**
     * Points the view at a frame.
     *
     * @param buffer the buffer
     * @param offset where the frame starts
     * @param length the frame length
     * @return this view
     * @throws FrameException if the header does not fit
     */
    public EthernetView wrap(DirectBuffer buffer, int offset, int length) {
        wrapOrThrow(buffer, offset, length);
        return this;
    }

    /** Well formed when the type field is an EtherType, not an 802.3 length. */
    @Override
    public boolean isWellFormed() {
        return etherType() >= MIN_ETHER_TYPE;
    }

    /**
     * The destination MAC.
     *
     * @return the address bits
     */
    public long destination() {
        return mac(DESTINATION_OFFSET);
    }

    /**
     * Sets the destination MAC.
     *
     * @param mac the address bits
     * @return this view
     */
    public EthernetView destination(long mac) {
        putMac(DESTINATION_OFFSET, mac);
        return this;
    }

    /**
     * The source MAC.
     *
     * @return the address bits
     */
    public long source() {
        return mac(SOURCE_OFFSET);
    }

    /**
     * Sets the source MAC.
     *
     * @param mac the address bits
     * @return this view
     */
    public EthernetView source(long mac) {
        putMac(SOURCE_OFFSET, mac);
        return this;
    }

    /**
     * The EtherType (the TPID for a tagged frame).
     *
     * @return the 16-bit type
     */
    public int etherType() {
        return u16(ETHER_TYPE_OFFSET);
    }

    /**
     * Sets the EtherType.
     *
     * @param type the 16-bit type
     * @return this view
     */
    public EthernetView etherType(int type) {
        putU16(ETHER_TYPE_OFFSET, type);
        return this;
    }

    /**
     * Whether the frame carries an 802.1Q or 802.1ad tag.
     *
     * @return true if the type field is a VLAN TPID
     */
    public boolean isVlanTagged() {
        int type = etherType();
        return type == TYPE_VLAN || type == TYPE_QINQ;
    }
}
