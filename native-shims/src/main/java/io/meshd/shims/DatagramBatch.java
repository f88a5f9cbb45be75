package io.meshd.shims;

import static io.meshd.shims.internal.LinuxConstants.AF_INET;
import static io.meshd.shims.internal.LinuxConstants.EAGAIN;
import static io.meshd.shims.internal.LinuxConstants.EINTR;

import io.meshd.shims.internal.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Datagrams to send with one {@code sendmmsg(2)}: a native array of {@code struct mmsghdr}, each with one iovec (a
 * datagram contiguous in native memory the caller owns) and its own IPv4 destination. Lets a sender hand the kernel
 * many small datagrams (which UDP GSO cannot batch unless they are all one size) in one system call. Layout as on
 * every 64-bit Linux: {@code mmsghdr} 64 bytes ({@code msghdr} 56 + {@code msg_len} 4 + padding), {@code iovec} 16,
 * {@code sockaddr_in} 16. Not thread-safe: one per thread; allocation-free after construction.
 */
public final class DatagramBatch {

    /** The most datagrams in one batch (the kernel's {@code UIO_MAXIOV} is 1024). */
    public static final int MAX_CAPACITY = 1024;
    private static final int MMSGHDR_BYTES = 64;
    private static final int IOVEC_BYTES = 16;
    private static final int SOCKADDR_BYTES = 16;

    private final ByteBuffer memory;
    /** The same memory in network byte order, for ports and addresses. */
    private final ByteBuffer network;
    private final long headers;
    private final int iovecs;
    private final int names;
    private final int capacity;
    private int count;

    /** An empty batch with room for {@code capacity} datagrams. */
    public DatagramBatch(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("batch capacity must be 1.." + MAX_CAPACITY + ": " + capacity);
        }
        this.capacity = capacity;
        this.iovecs = capacity * MMSGHDR_BYTES;
        this.names = iovecs + capacity * IOVEC_BYTES;
        this.memory = ByteBuffer.allocateDirect(names + capacity * SOCKADDR_BYTES).order(ByteOrder.nativeOrder());
        this.network = memory.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.headers = Native.address(memory);
        for (int i = 0; i < capacity; i++) {
            int h = i * MMSGHDR_BYTES;
            memory.putLong(h, headers + names + (long) i * SOCKADDR_BYTES); // msg_name
            memory.putInt(h + 8, SOCKADDR_BYTES); // msg_namelen
            memory.putLong(h + 16, headers + iovecs + (long) i * IOVEC_BYTES); // msg_iov
            memory.putLong(h + 24, 1); // msg_iovlen
            // msg_control, msg_controllen, msg_flags, msg_len: zero
            memory.putShort(names + i * SOCKADDR_BYTES, (short) AF_INET);
        }
    }

    /**
     * Adds a datagram of {@code length} bytes at native {@code address}, to {@code ipv4}:{@code port}.
     *
     * @throws IllegalStateException when the batch is full (check {@link #remaining()} first)
     */
    public void add(long address, int length, int ipv4, int port) {
        if (count == capacity) {
            throw new IllegalStateException("datagram batch full (" + capacity + ")");
        }
        int v = iovecs + count * IOVEC_BYTES;
        memory.putLong(v, address);
        memory.putLong(v + 8, length);
        int n = names + count * SOCKADDR_BYTES;
        network.putShort(n + 2, (short) port);
        network.putInt(n + 4, ipv4);
        count++;
    }

    /** How many datagrams the batch holds. */
    public int count() {
        return count;
    }

    /** How many more fit. */
    public int remaining() {
        return capacity - count;
    }

    /** The bytes of the first {@code datagrams} datagrams together. */
    public long bytes(int datagrams) {
        long sum = 0;
        for (int i = 0; i < Math.min(datagrams, count); i++) {
            sum += memory.getLong(iovecs + i * IOVEC_BYTES + 8);
        }
        return sum;
    }

    /**
     * Sends every datagram on socket {@code fd} ({@code sendmmsg}, repeated if the kernel took only part and again
     * on {@code EINTR}), stopping at {@code EAGAIN} (a full send buffer on a non-blocking socket).
     *
     * @return how many datagrams were sent, the first ones in order
     * @throws NativeException on any other error, when none was sent by the failing call
     */
    public int send(int fd) {
        int sent = 0;
        while (sent < count) {
            int n = Native.libc().sendmmsg(fd, headers + (long) sent * MMSGHDR_BYTES, count - sent, 0);
            if (n > 0) {
                sent += n;
                continue;
            }
            int errno = Native.errno();
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n == 0 || errno == EAGAIN) {
                return sent;
            }
            if (sent > 0) {
                return sent;
            }
            throw new NativeException("sendmmsg", errno);
        }
        return sent;
    }

    /** Empties the batch. */
    public void clear() {
        count = 0;
    }

    @Override
    public String toString() {
        return "DatagramBatch[" + count + "/" + capacity + "]";
    }
}
