package io.meshd.shims;

import io.meshd.shims.internal.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A native array of {@code struct iovec} (8-byte base, 8-byte length each, as on every 64-bit Linux) that describes
 * one datagram or frame gathered from pieces of native memory: what {@code sendmsg} and {@code writev} take, so a
 * packet path can send headers it built next to a payload it never copied. A piece that starts where the previous
 * one ends is merged into it. Not thread-safe: one per thread; allocation-free after construction.
 */
public final class IoVectors {

    private static final int IOVEC_BYTES = 16;

    private final ByteBuffer array;
    private final long address;
    private final int capacity;
    private int count;
    private long bytes;

    /** An empty array with room for {@code capacity} pieces (Linux takes at most 1024 in one call). */
    public IoVectors(int capacity) {
        if (capacity < 1 || capacity > 1024) {
            throw new IllegalArgumentException("iovec capacity must be 1..1024: " + capacity);
        }
        this.capacity = capacity;
        this.array = ByteBuffer.allocateDirect(capacity * IOVEC_BYTES).order(ByteOrder.nativeOrder());
        this.address = Native.address(array);
    }

    /**
     * Adds {@code length} bytes at native {@code base}.
     *
     * @throws IllegalStateException when the array is full (check {@link #remaining()} first)
     */
    public void add(long base, int length) {
        if (length <= 0) {
            return;
        }
        bytes += length;
        if (count > 0) {
            int last = (count - 1) * IOVEC_BYTES;
            long lastLength = array.getLong(last + 8);
            if (array.getLong(last) + lastLength == base) {
                array.putLong(last + 8, lastLength + length);
                return;
            }
        }
        if (count == capacity) {
            throw new IllegalStateException("iovec array full (" + capacity + " pieces)");
        }
        int at = count * IOVEC_BYTES;
        array.putLong(at, base);
        array.putLong(at + 8, length);
        count++;
    }

    /** The native address of the array, for {@code sendmsg}/{@code writev}. */
    public long address() {
        return address;
    }

    /** How many pieces the array holds. */
    public int count() {
        return count;
    }

    /** How many more pieces fit (a merged piece takes none). */
    public int remaining() {
        return capacity - count;
    }

    /** The bytes of every piece together. */
    public long bytes() {
        return bytes;
    }

    /** The base address of piece {@code index}. */
    public long base(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + count);
        }
        return array.getLong(index * IOVEC_BYTES);
    }

    /** The length of piece {@code index}. */
    public int length(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("piece " + index + " of " + count);
        }
        return (int) array.getLong(index * IOVEC_BYTES + 8);
    }

    /** Empties the array. */
    public void clear() {
        count = 0;
        bytes = 0;
    }
}
