package io.meshd.packet;

import org.agrona.DirectBuffer;

/**
 * Flyweight over an ARP packet for IPv4 over Ethernet (RFC 826), the only kind the switch answers.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Hardware type (1)        |    Protocol type (0x0800)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HW len (6)   | Proto len (4) |          Operation            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Sender hardware address                       |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Sender protocol address      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Sender protocol address      |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                 Target hardware address                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Target protocol address                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpView extends HeaderView {
    /** Offset of the hardware type. */
    public static final int HARDWARE_TYPE_OFFSET = 0;
    /** Offset of the protocol type. */
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    /** Offset of the hardware address length. */
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    /** Offset of the protocol address length. */
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    /** Offset of the operation. */
    public static final int OPERATION_OFFSET = 6;
    /** Offset of the sender MAC. */
    public static final int SENDER_MAC_OFFSET = 8;
    /** Offset of the sender IPv4 address. */
    public static final int SENDER_IP_OFFSET = 14;
    /** Offset of the target MAC. */
    public static final int TARGET_MAC_OFFSET = 18;
    /** Offset of the target IPv4 address. */
    public static final int TARGET_IP_OFFSET = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int HEADER_LENGTH = 28;
    /** Hardware type of Ethernet. */
    public static final int HARDWARE_ETHERNET = 1;
    /** Operation code of a request. */
    public static final int OP_REQUEST = 1;
    /** Operation code of a reply. */
    public static final int OP_REPLY = 2;

    /** Creates an unwrapped view; wrap it before use. */
    public ArpView() {
        super(HEADER_LENGTH);
    }

    /**
     * Points the view at an ARP packet.
     *
     * @param buffer the buffer
     * @param offset where the ARP packet starts (after the Ethernet header)
     * @param length bytes available
     * @return this view
     * @throws FrameException if the packet does not fit
     */
    public ArpView wrap(DirectBuffer buffer, int offset, int length) {
        wrapOrThrow(buffer, offset, length);
        return this;
    }

    /** Well formed when it is Ethernet/IPv4 ARP (types and lengths) with a request or reply operation. */
    @Override
    public boolean isWellFormed() {
        int operation = operation();
        return u16(HARDWARE_TYPE_OFFSET) == HARDWARE_ETHERNET
            && u16(PROTOCOL_TYPE_OFFSET) == EthernetView.TYPE_IPV4
            && u8(HARDWARE_LENGTH_OFFSET) == MacAddress.LENGTH
            && u8(PROTOCOL_LENGTH_OFFSET) == 4
            && (operation == OP_REQUEST || operation == OP_REPLY);
    }

    /**
     * The operation.
     *
     * @return {@link #OP_REQUEST}, {@link #OP_REPLY} or another code
     */
    public int operation() {
        return u16(OPERATION_OFFSET);
    }

    /**
     * The sender MAC.
     *
     * @return the address bits
     */
    public long senderMac() {
        return mac(SENDER_MAC_OFFSET);
    }

    /**
     * The sender IPv4 address.
     *
     * @return the address
     */
    public int senderIp() {
        return i32(SENDER_IP_OFFSET);
    }

    /**
     * The target MAC.
     *
     * @return the address bits
     */
    public long targetMac() {
        return mac(TARGET_MAC_OFFSET);
    }

    /**
     * The target IPv4 address.
     *
     * @return the address
     */
    public int targetIp() {
        return i32(TARGET_IP_OFFSET);
    }

    /**
     * Writes a complete Ethernet/IPv4 ARP packet.
     *
     * @param operation {@link #OP_REQUEST} or {@link #OP_REPLY}
     * @param senderMac sender hardware address
     * @param senderIp sender protocol address
     * @param targetMac target hardware address
     * @param targetIp target protocol address
     * @return this view
     */
    public ArpView write(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        putU16(HARDWARE_TYPE_OFFSET, HARDWARE_ETHERNET);
        putU16(PROTOCOL_TYPE_OFFSET, EthernetView.TYPE_IPV4);
        putU8(HARDWARE_LENGTH_OFFSET, MacAddress.LENGTH);
        putU8(PROTOCOL_LENGTH_OFFSET, 4);
        putU16(OPERATION_OFFSET, operation);
        putMac(SENDER_MAC_OFFSET, senderMac);
        putI32(SENDER_IP_OFFSET, senderIp);
        putMac(TARGET_MAC_OFFSET, targetMac);
        putI32(TARGET_IP_OFFSET, targetIp);
        return this;
    }
}
