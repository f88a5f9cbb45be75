package io.meshd.packet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * MAC addresses as {@code long} values holding the 48 address bits in the low bits, first octet highest, so the
 * packet path never allocates an address object. Text forms are for the control plane and humans only.
 */
public final class MacAddress {
    /** Bytes in a MAC address on the wire. */
    public static final int LENGTH = 6;
    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    /** The mask of the 48 address bits. */
    public static final long MASK = 0xFFFF_FFFF_FFFFL;
    /** Docker's prefix for container MACs derived from an IPv4 address: 02:42 (locally administered). */
    public static final long DOCKER_PREFIX = 0x0242_0000_0000L;
    private static final long GROUP_BIT = 0x0100_0000_0000L;

    private MacAddress() {
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (also with {@code -} separators, any case; octets may drop a leading zero).
     *
     * @param text the address
     * @return the address bits
     * @throws IllegalArgumentException if the text is not a MAC address
     */
    public static long parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != LENGTH) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long mac = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                int digit = Character.digit(part.charAt(i), 16);
                if (digit < 0) {
                    throw new IllegalArgumentException("not a MAC address: " + text);
                }
                octet = octet << 4 | digit;
            }
            mac = mac << 8 | octet;
        }
        return mac;
    }

    /**
     * Formats as lower-case {@code aa:bb:cc:dd:ee:ff}.
     *
     * @param mac the address bits (bits above 48 are ignored)
     * @return the text form
     */
    public static String format(long mac) {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (mac >>> shift) & 0xFF;
            if (text.length() > 0) {
                text.append(':');
            }
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }

    /**
     * The MAC Docker gives a container with this IPv4 address: 02:42 followed by the four address octets.
     *
     * @param ip the IPv4 address
     * @return 02:42:a:b:c:d
     */
    public static long fromIpv4(int ip) {
        return DOCKER_PREFIX | (ip & 0xFFFF_FFFFL);
    }

    /**
     * Whether the address is ff:ff:ff:ff:ff:ff.
     *
     * @param mac the address bits
     * @return true for the broadcast address
     */
    public static boolean isBroadcast(long mac) {
        return (mac & MASK) == BROADCAST;
    }

    /**
     * Whether the I/G bit (lowest bit of the first octet) is set; true for broadcast too.
     *
     * @param mac the address bits
     * @return true for group addresses
     */
    public static boolean isMulticast(long mac) {
        return (mac & GROUP_BIT) != 0;
    }

    /**
     * Whether a frame may carry this address as its source: a unicast address other than all zeros.
     *
     * @param mac the address bits
     * @return true for a valid station address
     */
    public static boolean isValidSource(long mac) {
        return (mac & GROUP_BIT) == 0 && (mac & MASK) != 0;
    }

    /**
     * Reads six bytes in network order.
     *
     * @param buffer the buffer
     * @param index where the address starts
     * @return the address bits
     */
    public static long read(DirectBuffer buffer, int index) {
        return (buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFFL) << 32
            | buffer.getInt(index + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * Writes six bytes in network order.
     *
     * @param buffer the buffer
     * @param index where the address starts
     * @param mac the address bits
     */
    public static void write(MutableDirectBuffer buffer, int index, long mac) {
        buffer.putShort(index, (short) (mac >>> 32), ByteOrder.BIG_ENDIAN);
        buffer.putInt(index + 2, (int) mac, ByteOrder.BIG_ENDIAN);
    }
}
