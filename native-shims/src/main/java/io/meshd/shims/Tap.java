package io.meshd.shims;

import static io.meshd.shims.internal.LinuxConstants.EAGAIN;
import static io.meshd.shims.internal.LinuxConstants.EINTR;
import static io.meshd.shims.internal.LinuxConstants.IFF_MULTI_QUEUE;
import static io.meshd.shims.internal.LinuxConstants.IFF_NO_PI;
import static io.meshd.shims.internal.LinuxConstants.IFF_TAP;
import static io.meshd.shims.internal.LinuxConstants.IFF_VNET_HDR;
import static io.meshd.shims.internal.LinuxConstants.IFNAMSIZ;
import static io.meshd.shims.internal.LinuxConstants.IFREQ_SIZE;
import static io.meshd.shims.internal.LinuxConstants.O_CLOEXEC;
import static io.meshd.shims.internal.LinuxConstants.O_NONBLOCK;
import static io.meshd.shims.internal.LinuxConstants.O_RDWR;
import static io.meshd.shims.internal.LinuxConstants.TUNSETIFF;
import static io.meshd.shims.internal.LinuxConstants.TUNSETOFFLOAD;
import static io.meshd.shims.internal.LinuxConstants.TUNSETPERSIST;
import static io.meshd.shims.internal.LinuxConstants.TUNSETVNETHDRSZ;

import io.meshd.shims.internal.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A TAP device: Ethernet frames in and out of the kernel through a file descriptor on {@code /dev/net/tun},
 * opened with {@code IFF_TAP | IFF_NO_PI} (and {@code IFF_VNET_HDR} on request, in which case every frame is
 * preceded by a virtio-net header of {@link #vnetHeaderSize()} bytes).
 *
 * <p>The device is created in the network namespace of the thread that calls {@link Builder#open()}; run that
 * inside {@link NetNs#call} to create it elsewhere. The descriptor keeps working after the interface is moved
 * to another namespace. The interface is created down: bring it up with {@link InterfaceConfig#up(String)}. It
 * disappears when the descriptor is closed, unless it was made {@link #persist(boolean) persistent}: then it stays
 * (with its addresses, MAC and routes; frames sent to it meanwhile are dropped, its carrier is off) until persistence
 * is cleared or the link is deleted, and {@link Builder#open()} with the same name, in the same namespace and with
 * the same flags attaches to it again.
 *
 * <p>With {@link Builder#multiQueue(boolean)} ({@code IFF_MULTI_QUEUE}) each {@link Builder#open()} under the same
 * name adds one queue to the interface: the kernel spreads the flows it sends over the queues, so one reader per
 * queue can run on each core. Writes may go to any queue.
 *
 * <p>One reader and one writer thread may use a TAP at a time. Reads and writes allocate nothing. A blocking
 * {@code read} is not interrupted by {@link #close()}; readers that must stop promptly use non-blocking mode and
 * epoll ({@link #fd()}), as the VTEP's TAP pollers do.
 */
public final class Tap implements AutoCloseable {

    private final String name;
    private final boolean vnetHeader;
    private final int vnetHeaderSize;
    private final boolean nonBlocking;
    private volatile int fd;

    private Tap(int fd, String name, boolean vnetHeader, int vnetHeaderSize, boolean nonBlocking) {
        this.fd = fd;
        this.name = name;
        this.vnetHeader = vnetHeader;
        this.vnetHeaderSize = vnetHeaderSize;
        this.nonBlocking = nonBlocking;
    }

    /** A builder with the defaults: name {@code tap%d}, no virtio-net header, no offloads, blocking. */
    public static Builder builder() {
        return new Builder();
    }

    /** The interface name the kernel gave the device (the {@code %d} resolved). */
    public String name() {
        return name;
    }

    /** The file descriptor, for registering with an event loop; -1 once closed. */
    public int fd() {
        return fd;
    }

    /** Whether each frame carries a virtio-net header. */
    public boolean vnetHeader() {
        return vnetHeader;
    }

    /** Bytes of virtio-net header before each frame, 0 without {@code IFF_VNET_HDR}. */
    public int vnetHeaderSize() {
        return vnetHeader ? vnetHeaderSize : 0;
    }

    /** Whether reads return 0 instead of waiting when no frame is queued. */
    public boolean nonBlocking() {
        return nonBlocking;
    }

    /**
     * Reads one frame into the buffer between its position and limit and advances the position.
     *
     * @param direct a direct buffer with room for the largest frame (MTU + 14, plus the virtio-net header)
     * @return the frame length, or 0 in non-blocking mode when no frame is queued
     */
    public int read(ByteBuffer direct) {
        return transfer(Call.READ, direct);
    }

    /**
     * Writes one frame from the buffer's position to its limit and advances the position.
     *
     * @return the number of bytes written (the whole frame), or 0 in non-blocking mode when the queue is full
     */
    public int write(ByteBuffer direct) {
        return transfer(Call.WRITE, direct);
    }

    /**
     * Reads one frame into native memory, e.g. a Netty direct buffer's {@code memoryAddress() + writerIndex()}.
     *
     * @return the frame length, or 0 in non-blocking mode when no frame is queued
     */
    public int read(long address, int length) {
        return transfer(Call.READ, address, length);
    }

    /**
     * Writes one frame from native memory, e.g. a Netty direct buffer's {@code memoryAddress() + readerIndex()}.
     *
     * @return the number of bytes written, or 0 in non-blocking mode when the queue is full
     */
    public int write(long address, int length) {
        return transfer(Call.WRITE, address, length);
    }

    /**
     * Writes one frame gathered from {@code count} pieces of native memory ({@code writev}): {@code iovecs} is the
     * address of an array of {@code struct iovec} (8-byte base, 8-byte length each), e.g. {@link
     * IoVectors#address()}. A TAP takes one frame per write, so the pieces together are one frame (with its
     * virtio-net header first, if the TAP has one).
     *
     * @return the number of bytes written, or 0 in non-blocking mode when the queue is full
     */
    public int writev(long iovecs, int count) {
        return transfer(Call.WRITEV, iovecs, count);
    }

    private int transfer(Call call, ByteBuffer direct) {
        int position = direct.position();
        int n = transfer(call, Native.address(direct) + position, direct.limit() - position);
        direct.position(position + n);
        return n;
    }

    /** The system calls a TAP is driven with. */
    private enum Call {
        READ, WRITE, WRITEV
    }

    /**
     * One read(2), write(2) or writev(2) ({@code length} is then the iovec count): retried on EINTR, 0 on EAGAIN,
     * any other errno thrown. A switch rather than a lambda per call: the packet path must not allocate.
     */
    private int transfer(Call call, long address, int length) {
        while (true) {
            int current = openFd();
            long n;
            switch (call) {
                case READ:
                    n = Native.libc().read(current, address, length);
                    break;
                case WRITE:
                    n = Native.libc().write(current, address, length);
                    break;
                default:
                    n = Native.libc().writev(current, address, length);
                    break;
            }
            if (n >= 0) {
                return (int) n;
            }
            int errno = Native.errno();
            if (errno == EAGAIN) {
                return 0;
            }
            if (errno != EINTR) {
                throw new NativeException(call.name().toLowerCase(Locale.ROOT) + "(" + name + ")", errno);
            }
        }
    }

    private int openFd() {
        int current = fd;
        if (current < 0) {
            throw new IllegalStateException("TAP " + name + " is closed");
        }
        return current;
    }

    /**
     * Makes the interface persistent or not ({@code TUNSETPERSIST}): a persistent interface outlives every descriptor
     * (a process killed with {@code kill -9} included) and is attached to again by opening it by name.
     *
     * @throws NativeException when the kernel refuses
     */
    public void persist(boolean value) {
        if (Native.libc().ioctl(openFd(), TUNSETPERSIST, value ? 1L : 0L) < 0) {
            throw NativeException.lastError("ioctl(TUNSETPERSIST) on " + name);
        }
    }

    /** Closes the descriptor, which removes the interface unless it is persistent. Idempotent. */
    @Override
    public synchronized void close() {
        int current = fd;
        if (current >= 0) {
            fd = -1;
            Native.libc().close(current);
        }
    }

    @Override
    public String toString() {
        return "Tap[" + name + ", fd " + fd + (vnetHeader ? ", vnet-hdr " + vnetHeaderSize : "") + "]";
    }

    /** Options for a TAP device; {@link #open()} creates it. */
    public static final class Builder {

        private String name = "tap%d";
        private boolean vnetHeader;
        private int vnetHeaderSize = 10;
        private int offloads;
        private boolean nonBlocking;
        private boolean multiQueue;

        private Builder() {
        }

        /** The interface name, at most 15 characters; a {@code %d} lets the kernel pick a free number. */
        public Builder name(String value) {
            if (value.isEmpty() || value.getBytes(StandardCharsets.US_ASCII).length >= IFNAMSIZ) {
                throw new IllegalArgumentException("interface name must have 1 to 15 characters: " + value);
            }
            this.name = value;
            return this;
        }

        /** Whether frames carry a virtio-net header ({@code IFF_VNET_HDR}), needed for offloads. */
        public Builder vnetHeader(boolean value) {
            this.vnetHeader = value;
            return this;
        }

        /**
         * The virtio-net header size ({@code TUNSETVNETHDRSZ}): 10 for {@code virtio_net_hdr} (the default), 12
         * for {@code virtio_net_hdr_mrg_rxbuf}/v1. Only used with {@link #vnetHeader(boolean)}.
         */
        public Builder vnetHeaderSize(int value) {
            if (value < 10) {
                throw new IllegalArgumentException("virtio-net header size must be at least 10: " + value);
            }
            this.vnetHeaderSize = value;
            return this;
        }

        /** Offloads the reader accepts ({@link TapOffloads} flags, {@code TUNSETOFFLOAD}); needs a vnet header. */
        public Builder offloads(int flags) {
            this.offloads = flags;
            return this;
        }

        /** Whether reads and writes return 0 instead of blocking ({@code O_NONBLOCK}). */
        public Builder nonBlocking(boolean value) {
            this.nonBlocking = value;
            return this;
        }

        /**
         * Whether the device has several queues ({@code IFF_MULTI_QUEUE}, default off): opening again with the
         * same name and this flag adds a queue (the first open's {@link Tap#name()} is the name to use).
         */
        public Builder multiQueue(boolean value) {
            this.multiQueue = value;
            return this;
        }

        /**
         * Creates the device in the calling thread's network namespace, or attaches to the persistent TAP of that
         * name there (then the flags must be the ones it was created with; the header size and offloads are set
         * again).
         *
         * @throws NativeException when the kernel refuses, e.g. without {@code CAP_NET_ADMIN}
         * @throws IllegalStateException when the shims are unavailable or offloads are asked without a header
         */
        public Tap open() {
            if (offloads != 0 && !vnetHeader) {
                throw new IllegalStateException("offloads need vnetHeader(true)");
            }
            int flags = O_RDWR | O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0);
            int fd = Native.libc().open("/dev/net/tun", flags);
            if (fd < 0) {
                throw NativeException.lastError("open(/dev/net/tun)");
            }
            try {
                String actual = setInterface(fd);
                if (vnetHeader) {
                    byte[] size = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(vnetHeaderSize).array();
                    if (Native.libc().ioctl(fd, TUNSETVNETHDRSZ, size) < 0) {
                        throw NativeException.lastError("ioctl(TUNSETVNETHDRSZ) on " + actual);
                    }
                }
                if (offloads != 0 && Native.libc().ioctl(fd, TUNSETOFFLOAD, (long) offloads) < 0) {
                    throw NativeException.lastError("ioctl(TUNSETOFFLOAD) on " + actual);
                }
                return new Tap(fd, actual, vnetHeader, vnetHeaderSize, nonBlocking);
            } catch (RuntimeException e) {
                Native.libc().close(fd);
                throw e;
            }
        }

        private String setInterface(int fd) {
            byte[] ifreq = new byte[IFREQ_SIZE];
            byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(nameBytes, 0, ifreq, 0, nameBytes.length);
            short flags = (short) (IFF_TAP | IFF_NO_PI | (vnetHeader ? IFF_VNET_HDR : 0)
                | (multiQueue ? IFF_MULTI_QUEUE : 0));
            ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder()).putShort(IFNAMSIZ, flags);
            if (Native.libc().ioctl(fd, TUNSETIFF, ifreq) < 0) {
                throw NativeException.lastError("ioctl(TUNSETIFF) on /dev/net/tun");
            }
            int end = 0;
            while (end < IFNAMSIZ && ifreq[end] != 0) {
                end++;
            }
            return new String(ifreq, 0, end, StandardCharsets.US_ASCII);
        }
    }
}
