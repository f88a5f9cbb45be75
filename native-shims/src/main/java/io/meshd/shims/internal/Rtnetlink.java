package io.meshd.shims.internal;

import static io.meshd.shims.internal.LinuxConstants.AF_NETLINK;
import static io.meshd.shims.internal.LinuxConstants.NETLINK_ROUTE;
import static io.meshd.shims.internal.LinuxConstants.SOCK_CLOEXEC;
import static io.meshd.shims.internal.LinuxConstants.SOCK_RAW;

import io.meshd.shims.NativeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A minimal rtnetlink client: one request, one acknowledgement. The socket belongs to the network namespace of
 * the thread that opened it, so requests act on that namespace.
 *
 * <pre>
 * nlmsghdr (16 bytes)            ifinfomsg (16 bytes)              ifaddrmsg (8 bytes)
 * +--------+------+-------+      +------+-----+------+--------+    +------+--------+-------+-------+-------+
 * | len:32 |type16|flags16|      |fam:8 |pad:8|type16|index:32|    |fam:8 |prefix:8|flags:8|scope:8|index32|
 * +--------+------+-------+      +------+-----+------+--------+    +------+--------+-------+-------+-------+
 * | seq:32 | pid:32       |      | flags:32   | change:32       |   then rtattrs: len:16 type:16 value, padded to 4
 * +--------+--------------+      +------------+-----------------+
 * </pre>
 */
public final class Rtnetlink implements AutoCloseable {

    public static final short RTM_NEWLINK = 16;
    public static final short RTM_DELLINK = 17;
    public static final short RTM_NEWADDR = 20;
    public static final short RTM_DELADDR = 21;

    public static final short NLM_F_REQUEST = 0x1;
    public static final short NLM_F_ACK = 0x4;
    public static final short NLM_F_EXCL = 0x200;
    public static final short NLM_F_CREATE = 0x400;

    public static final short IFLA_ADDRESS = 1;
    public static final short IFLA_MTU = 4;
    public static final short IFLA_NET_NS_FD = 28;
    /** {@code IFLA_GSO_MAX_SEGS}: the most segments the stack puts in one GSO packet for the link. */
    public static final short IFLA_GSO_MAX_SEGS = 40;

    public static final short IFA_ADDRESS = 1;
    public static final short IFA_LOCAL = 2;
    public static final short IFA_BROADCAST = 4;

    public static final int IFF_UP = 0x1;

    private static final short NLMSG_ERROR = 2;
    private static final int HEADER_SIZE = 16;
    /** {@code struct sockaddr_nl} addressed to the kernel (pid 0, no groups). */
    private static final byte[] KERNEL = {AF_NETLINK, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private final int fd;
    private int sequence;

    private Rtnetlink(int fd) {
        this.fd = fd;
    }

    /** Opens a NETLINK_ROUTE socket in the calling thread's namespace. */
    public static Rtnetlink open() {
        int fd = Native.libc().socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw new NativeException("socket(AF_NETLINK, NETLINK_ROUTE)", Native.errno());
        }
        return new Rtnetlink(fd);
    }

    /** Starts a request of the given type; the header's length and sequence are filled in by {@link #send}. */
    public static ByteBuffer request(short type, int extraFlags) {
        ByteBuffer message = ByteBuffer.allocate(512).order(ByteOrder.nativeOrder());
        message.putInt(0).putShort(type).putShort((short) (NLM_F_REQUEST | NLM_F_ACK | extraFlags));
        message.putInt(0).putInt(0);
        return message;
    }

    /** Appends an {@code ifinfomsg}. */
    public static void ifinfomsg(ByteBuffer message, int index, int flags, int change) {
        message.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
    }

    /** Appends an {@code ifaddrmsg}. */
    public static void ifaddrmsg(ByteBuffer message, int family, int prefix, int index) {
        message.put((byte) family).put((byte) prefix).put((byte) 0).put((byte) 0).putInt(index);
    }

    /** Appends an attribute with raw bytes, padded to 4 bytes. */
    public static void attribute(ByteBuffer message, short type, byte[] value) {
        message.putShort((short) (4 + value.length)).putShort(type).put(value);
        while ((message.position() & 3) != 0) {
            message.put((byte) 0);
        }
    }

    /** Appends a 32-bit attribute in host byte order. */
    public static void attribute(ByteBuffer message, short type, int value) {
        message.putShort((short) 8).putShort(type).putInt(value);
    }

    /**
     * Sends the request and waits for the kernel's acknowledgement.
     *
     * @param call what the request does, for the exception message, e.g. {@code "RTM_NEWLINK(eth0 up)"}
     * @throws NativeException carrying the errno the kernel answered with
     */
    public void send(ByteBuffer message, String call) {
        int length = message.position();
        int seq = ++sequence;
        message.putInt(0, length).putInt(8, seq);
        byte[] bytes = message.array();
        if (Native.libc().sendto(fd, bytes, length, 0, KERNEL, KERNEL.length) < 0) {
            throw new NativeException("sendto(netlink) for " + call, Native.errno());
        }
        byte[] answer = new byte[8192];
        while (true) {
            long n = Native.libc().recv(fd, answer, answer.length, 0);
            if (n < 0) {
                throw new NativeException("recv(netlink) for " + call, Native.errno());
            }
            ByteBuffer reply = ByteBuffer.wrap(answer, 0, (int) n).order(ByteOrder.nativeOrder());
            while (reply.remaining() >= HEADER_SIZE) {
                int start = reply.position();
                int len = reply.getInt(start);
                short type = reply.getShort(start + 4);
                int replySeq = reply.getInt(start + 8);
                if (len < HEADER_SIZE || start + len > n) {
                    throw new IllegalStateException("malformed netlink reply for " + call);
                }
                if (type == NLMSG_ERROR && replySeq == seq) {
                    int error = reply.getInt(start + HEADER_SIZE);
                    if (error != 0) {
                        throw new NativeException(call, -error);
                    }
                    return;
                }
                reply.position(start + ((len + 3) & ~3));
            }
        }
    }

    @Override
    public void close() {
        Native.libc().close(fd);
    }
}
