package io.meshd.shims.internal;

/** Linux x86_64/aarch64 values from the kernel headers the shims need. */
public final class LinuxConstants {

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;

    public static final int CLONE_NEWNET = 0x40000000;

    public static final int AF_NETLINK = 16;
    public static final int AF_INET = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int NETLINK_ROUTE = 0;

    /** {@code _IOW('T', 202, int)}. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOW('T', 203, int)}: the argument (by value) non-zero keeps the interface when no fd holds it. */
    public static final long TUNSETPERSIST = 0x400454cbL;
    /** {@code _IOW('T', 208, unsigned int)}. */
    public static final long TUNSETOFFLOAD = 0x400454d0L;
    /** {@code _IOW('T', 216, int)}. */
    public static final long TUNSETVNETHDRSZ = 0x400454d8L;

    public static final short IFF_TAP = 0x0002;
    public static final short IFF_NO_PI = 0x1000;
    public static final short IFF_MULTI_QUEUE = 0x0100;
    public static final short IFF_VNET_HDR = 0x4000;

    /** {@code IFNAMSIZ}: interface names hold at most 15 characters plus the terminating NUL. */
    public static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)}. */
    public static final int IFREQ_SIZE = 40;

    private LinuxConstants() {
    }
}
