package io.meshd.shims;

/**
 * Flags for {@link Tap.Builder#offloads(int)}: which segmentation and checksum work the kernel may leave to the
 * reader of the TAP ({@code TUN_F_*} in {@code linux/if_tun.h}). They only make sense with a virtio-net header.
 */
public final class TapOffloads {

    /** The reader accepts frames with partial checksums ({@code TUN_F_CSUM}); required by every other flag. */
    public static final int CSUM = 0x01;
    /** TCP segmentation offload for IPv4 ({@code TUN_F_TSO4}). */
    public static final int TSO4 = 0x02;
    /** TCP segmentation offload for IPv6 ({@code TUN_F_TSO6}). */
    public static final int TSO6 = 0x04;
    /** TSO with ECN ({@code TUN_F_TSO_ECN}). */
    public static final int TSO_ECN = 0x08;
    /** UDP fragmentation offload ({@code TUN_F_UFO}); deprecated in the kernel. */
    public static final int UFO = 0x10;
    /** UDP segmentation offload for IPv4 ({@code TUN_F_USO4}, kernel 6.2 and later). */
    public static final int USO4 = 0x20;
    /** UDP segmentation offload for IPv6 ({@code TUN_F_USO6}, kernel 6.2 and later). */
    public static final int USO6 = 0x40;

    private TapOffloads() {
    }
}
