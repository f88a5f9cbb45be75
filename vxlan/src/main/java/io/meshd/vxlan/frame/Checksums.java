package io.meshd.vxlan.frame;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The internet checksum (RFC 1071): partial sums over buffer ranges, the IPv4 header checksum, the UDP/TCP
 * pseudo-header sums, and the incremental update of RFC 1624 for rewriting one field (NAT) without summing the
 * whole packet again.
 *
 * <p>Partial sums are {@code long} values that are not folded yet, so several ranges can be added together before
 * {@link #finish(long)}; a range that is followed by another must have an even length. Nothing here allocates.
 */
public final class Checksums {
    private static final ByteOrder NETWORK = ByteOrder.BIG_ENDIAN;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final long LOW_32 = 0xFFFF_FFFFL;

    private Checksums() {
    }

    /**
     * Adds the bytes of a range to a partial sum, as 16-bit big-endian words (an odd last byte is padded with zero).
     *
     * <p>The bulk is summed in the CPU's byte order, eight bytes per load into two independent accumulators, and the
     * folded result is byte-swapped once: the one's complement sum commutes with byte swapping (RFC 1071, 2(B)), and
     * 32-bit halves are congruent to their 16-bit words modulo 0xFFFF. The tail is added in network order.
     *
     * @param buffer the buffer
     * @param offset where the range starts
     * @param length bytes in the range
     * @param initial the partial sum so far (0 to start)
     * @return the new partial sum
     */
    public static long sum(DirectBuffer buffer, int offset, int length, long initial) {
        int end = offset + length;
        int index = offset;
        long even = 0;
        long odd = 0;
        for (; index + 16 <= end; index += 16) {
            long first = buffer.getLong(index, NATIVE);
            long second = buffer.getLong(index + 8, NATIVE);
            even += (first >>> 32) + (first & LOW_32);
            odd += (second >>> 32) + (second & LOW_32);
        }
        if (index + 8 <= end) {
            long word = buffer.getLong(index, NATIVE);
            even += (word >>> 32) + (word & LOW_32);
            index += 8;
        }
        long sum = initial + toNetworkOrder(fold(even + odd));
        if (index + 4 <= end) {
            sum += buffer.getInt(index, NETWORK) & LOW_32;
            index += 4;
        }
        if (index + 2 <= end) {
            sum += buffer.getShort(index, NETWORK) & 0xFFFF;
            index += 2;
        }
        if (index < end) {
            sum += (buffer.getByte(index) & 0xFF) << 8;
        }
        return sum;
    }

    private static int toNetworkOrder(int folded) {
        return NATIVE == NETWORK ? folded : (folded & 0xFF) << 8 | folded >>> 8;
    }

    /**
     * Folds a partial sum to 16 bits with end-around carry.
     *
     * @param sum a partial sum
     * @return the one's complement sum, 0-0xFFFF (0 only if the sum was 0)
     */
    public static int fold(long sum) {
        long folded = sum;
        while ((folded >>> 16) != 0) {
            folded = (folded & 0xFFFF) + (folded >>> 16);
        }
        return (int) folded;
    }

    /**
     * The checksum for a partial sum: the one's complement of the folded sum.
     *
     * @param sum a partial sum
     * @return the value to put in a checksum field
     */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /**
     * The internet checksum of a range.
     *
     * @param buffer the buffer
     * @param offset where the range starts
     * @param length bytes in the range
     * @return the checksum
     */
    public static int checksum(DirectBuffer buffer, int offset, int length) {
        return finish(sum(buffer, offset, length, 0));
    }

    /**
     * The IPv4 header checksum, computed as if the checksum field were zero (its current value is skipped).
     *
     * @param buffer the buffer
     * @param offset where the IPv4 header starts
     * @param headerLength IHL * 4
     * @return the value for the checksum field
     */
    public static int ipv4Header(DirectBuffer buffer, int offset, int headerLength) {
        return transport(buffer, offset, headerLength, 0, Ipv4View.CHECKSUM_OFFSET);
    }

    /**
     * The partial sum of the IPv4 pseudo-header of UDP and TCP.
     *
     * @param source source address
     * @param destination destination address
     * @param protocol protocol number
     * @param length transport header plus payload bytes
     * @return a partial sum
     */
    public static long pseudoHeaderIpv4(int source, int destination, int protocol, int length) {
        return (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF)
            + protocol + length;
    }

    /**
     * The partial sum of the IPv6 pseudo-header, addresses read from the IPv6 header in the buffer.
     *
     * @param buffer the buffer
     * @param ipv6Offset where the IPv6 header starts
     * @param protocol upper-layer protocol number
     * @param length upper-layer packet length
     * @return a partial sum
     */
    public static long pseudoHeaderIpv6(DirectBuffer buffer, int ipv6Offset, int protocol, int length) {
        return sum(buffer, ipv6Offset + Ipv6View.SOURCE_OFFSET, 32, 0) + (length >>> 16) + (length & 0xFFFF)
            + protocol;
    }

    /**
     * The checksum of a transport segment (or any header with a checksum field), skipping the checksum field's
     * current value so it need not be zeroed first.
     *
     * @param buffer the buffer
     * @param offset where the segment starts
     * @param length segment bytes
     * @param pseudoHeaderSum the pseudo-header's partial sum (0 for none)
     * @param checksumAt offset of the checksum field inside the segment (even)
     * @return the value for the checksum field (UDP: see {@link #udp(int)})
     */
    public static int transport(DirectBuffer buffer, int offset, int length, long pseudoHeaderSum, int checksumAt) {
        long sum = sum(buffer, offset, checksumAt, pseudoHeaderSum);
        sum = sum(buffer, offset + checksumAt + 2, length - checksumAt - 2, sum);
        return finish(sum);
    }

    /**
     * Maps a computed UDP checksum to what goes on the wire: 0 means "no checksum", so 0 is sent as 0xFFFF.
     *
     * @param checksum a computed checksum
     * @return the UDP checksum field value
     */
    public static int udp(int checksum) {
        return checksum == 0 ? 0xFFFF : checksum;
    }

    /**
     * RFC 1624 eqn. 3: the new checksum after one 16-bit word of the covered data changed, {@code HC' = ~(~HC +
     * ~m + m')}. Equals a full recomputation up to the two encodings of zero (0x0000 and 0xFFFF), which can only
     * differ when every covered word is zero.
     *
     * @param checksum the current checksum field
     * @param oldWord the word before the change
     * @param newWord the word after the change
     * @return the new checksum field
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return finish(sum);
    }

    /**
     * RFC 1624 for a 32-bit field (an IPv4 address): both 16-bit halves updated at once.
     *
     * @param checksum the current checksum field
     * @param oldValue the field before the change
     * @param newValue the field after the change
     * @return the new checksum field
     */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xFFFF) + (~oldValue >>> 16 & 0xFFFF) + (~oldValue & 0xFFFF)
            + (newValue >>> 16) + (newValue & 0xFFFF);
        return finish(sum);
    }
}
