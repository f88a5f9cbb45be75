package io.meshd.packet;

import org.agrona.DirectBuffer;

/**
 * Flyweight over an 802.1Q-tagged Ethernet header: the MACs, the 4-byte tag and the encapsulated EtherType.
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
 * |      TPID (0x8100)            | PCP |D|        VLAN ID        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          EtherType            |  payload ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VlanView extends HeaderView {
    /** Offset of the destination MAC. */
    public static final int DESTINATION_OFFSET = 0;
    /** Offset of the source MAC. */
    public static final int SOURCE_OFFSET = 6;
    /** Offset of the tag protocol identifier. */
    public static final int TPID_OFFSET = 12;
    /** Offset of the tag control information (PCP, DEI, VLAN ID). */
    public static final int TCI_OFFSET = 14;
    /** Offset of the encapsulated EtherType. */
    public static final int ETHER_TYPE_OFFSET = 16;
    /** Length of the tagged header. */
    public static final int HEADER_LENGTH = 18;

    /** Creates an unwrapped view; wrap it before use. */
    public VlanView() {
        super(HEADER_LENGTH);
    }

    /**
     * Points the view at a tagged frame.
     *
     * @param buffer the buffer
     * @param offset where the frame starts
     * @param length the frame length
     * @return this view
     * @throws FrameException if the header does not fit
     */
    public VlanView wrap(DirectBuffer buffer, int offset, int length) {
        wrapOrThrow(buffer, offset, length);
        return this;
    }

    /** Well formed when the TPID is 802.1Q or 802.1ad and the inner type is an EtherType. */
    @Override
    public boolean isWellFormed() {
        int tpid = tpid();
        return (tpid == EthernetView.TYPE_VLAN || tpid == EthernetView.TYPE_QINQ)
            && etherType() >= EthernetView.MIN_ETHER_TYPE;
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
     * The source MAC.
     *
     * @return the address bits
     */
    public long source() {
        return mac(SOURCE_OFFSET);
    }

    /**
     * The tag protocol identifier.
     *
     * @return 0x8100 for 802.1Q
     */
    public int tpid() {
        return u16(TPID_OFFSET);
    }

    /**
     * The priority code point.
     *
     * @return 0-7
     */
    public int priority() {
        return u16(TCI_OFFSET) >>> 13;
    }

    /**
     * The drop eligible indicator.
     *
     * @return true if set
     */
    public boolean dropEligible() {
        return (u16(TCI_OFFSET) & 0x1000) != 0;
    }

    /**
     * The VLAN identifier.
     *
     * @return 0-4095
     */
    public int vlanId() {
        return u16(TCI_OFFSET) & 0x0FFF;
    }

    /**
     * The EtherType of the payload.
     *
     * @return the 16-bit type
     */
    public int etherType() {
        return u16(ETHER_TYPE_OFFSET);
    }

    /**
     * Writes the tag: TPID 0x8100, the given priority and VLAN, DEI clear.
     *
     * @param priority 0-7
     * @param vlanId 0-4095
     * @return this view
     */
    public VlanView tag(int priority, int vlanId) {
        putU16(TPID_OFFSET, EthernetView.TYPE_VLAN);
        putU16(TCI_OFFSET, (priority & 0x7) << 13 | vlanId & 0x0FFF);
        return this;
    }

    /**
     * Sets the EtherType of the payload.
     *
     * @param type the 16-bit type
     * @return this view
     */
    public VlanView etherType(int type) {
        putU16(ETHER_TYPE_OFFSET, type);
        return this;
    }
}
