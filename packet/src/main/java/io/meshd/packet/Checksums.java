package io.meshd.packet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

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
     * <p>The bulk is summed in the CPU's byte order, 32 bytes per step as four 8-byte loads into four independent
     * accumulators, and the folded result is byte-swapped once: the one's complement sum commutes with byte
     * swapping (RFC 1071, 2(B)), and 32-bit halves are congruent to their 16-bit words modulo 0xFFFF. The range is
     * bounds-checked once and the loop reads memory directly: a bounds check per load kept the JIT from unrolling
     * it, and this loop is half of the sender's time when it cuts TSO super-frames into segments. The tail is added
     * in network order.
     *
     * @param buffer the buffer
     * @param offset where the range starts
     * @param length bytes in the range
     * @param initial the partial sum so far (0 to start)
     * @return the new partial sum
     * @throws IndexOutOfBoundsException if the range is not inside the buffer
     */
    public static long sum(DirectBuffer buffer, int offset, int length, long initial) {
        buffer.boundsCheck(offset, length);
        byte[] array = buffer.byteArray();
        long address = buffer.addressOffset() + offset;
        long a0 = 0;
        long a1 = 0;
        long a2 = 0;
        long a3 = 0;
        int index = 0;
        for (; index + 32 <= length; index += 32) {
            long w0 = UnsafeApi.getLong(array, address + index);
            long w1 = UnsafeApi.getLong(array, address + index + 8);
            long w2 = UnsafeApi.getLong(array, address + index + 16);
            long w3 = UnsafeApi.getLong(array, address + index + 24);
            a0 += (w0 >>> 32) + (w0 & LOW_32);
            a1 += (w1 >>> 32) + (w1 & LOW_32);
            a2 += (w2 >>> 32) + (w2 & LOW_32);
            a3 += (w3 >>> 32) + (w3 & LOW_32);
        }
        for (; index + 8 <= length; index += 8) {
            long word = UnsafeApi.getLong(array, address + index);
            a0 += (word >>> 32) + (word & LOW_32);
        }
        return tail(buffer, offset + index, offset + length, initial + toNetworkOrder(fold(a0 + a1 + a2 + a3)));
    }

    /**
     * Copies a range to another buffer and adds its bytes to a partial sum in the same pass: what {@code putBytes}
     * followed by {@link #sum} computes, reading each byte once (a TSO segment's payload is copied and summed).
     *
     * @param source the buffer to copy from
     * @param sourceOffset where the range starts in it
     * @param destination the buffer to copy to
     * @param destinationOffset where the copy starts in it
     * @param length bytes in the range
     * @param initial the partial sum so far (0 to start)
     * @return the new partial sum, the same as {@code sum(destination, destinationOffset, length, initial)}
     * @throws IndexOutOfBoundsException if either range is not inside its buffer
     */
    public static long copyAndSum(DirectBuffer source, int sourceOffset, MutableDirectBuffer destination,
        int destinationOffset, int length, long initial) {
        source.boundsCheck(sourceOffset, length);
        destination.boundsCheck(destinationOffset, length);
        byte[] from = source.byteArray();
        long fromAddress = source.addressOffset() + sourceOffset;
        byte[] to = destination.byteArray();
        long toAddress = destination.addressOffset() + destinationOffset;
        long a0 = 0;
        long a1 = 0;
        long a2 = 0;
        long a3 = 0;
        int index = 0;
        for (; index + 32 <= length; index += 32) {
            long w0 = UnsafeApi.getLong(from, fromAddress + index);
            long w1 = UnsafeApi.getLong(from, fromAddress + index + 8);
            long w2 = UnsafeApi.getLong(from, fromAddress + index + 16);
            long w3 = UnsafeApi.getLong(from, fromAddress + index + 24);
            UnsafeApi.putLong(to, toAddress + index, w0);
            UnsafeApi.putLong(to, toAddress + index + 8, w1);
            UnsafeApi.putLong(to, toAddress + index + 16, w2);
            UnsafeApi.putLong(to, toAddress + index + 24, w3);
            a0 += (w0 >>> 32) + (w0 & LOW_32);
            a1 += (w1 >>> 32) + (w1 & LOW_32);
            a2 += (w2 >>> 32) + (w2 & LOW_32);
            a3 += (w3 >>> 32) + (w3 & LOW_32);
        }
        for (; index + 8 <= length; index += 8) {
            long word = UnsafeApi.getLong(from, fromAddress + index);
            UnsafeApi.putLong(to, toAddress + index, word);
            a0 += (word >>> 32) + (word & LOW_32);
        }
        destination.putBytes(destinationOffset + index, source, sourceOffset + index, length - index);
        return tail(destination, destinationOffset + index, destinationOffset + length,
            initial + toNetworkOrder(fold(a0 + a1 + a2 + a3)));
    }

    /** Adds the last 0-7 bytes of a range, in network order. */
    private static long tail(DirectBuffer buffer, int from, int end, long partial) {
        int index = from;
        long sum = partial;
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
        // A fixed sequence instead of a loop until no carry is left (no branch to mispredict): 64 bits fold to at
        // most 33, then 18, then 17 (at most 0x10001), then 16; a non-zero sum never folds to zero.
        long folded = (sum & LOW_32) + (sum >>> 32);
        folded = (folded & 0xFFFF) + (folded >>> 16);
        folded = (folded & 0xFFFF) + (folded >>> 16);
        folded = (folded & 0xFFFF) + (folded >>> 16);
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
