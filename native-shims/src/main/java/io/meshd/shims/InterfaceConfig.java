package io.meshd.shims;

import static io.meshd.shims.internal.LinuxConstants.AF_INET;
import static io.meshd.shims.internal.Rtnetlink.IFA_ADDRESS;
import static io.meshd.shims.internal.Rtnetlink.IFA_BROADCAST;
import static io.meshd.shims.internal.Rtnetlink.IFA_LOCAL;
import static io.meshd.shims.internal.Rtnetlink.IFF_UP;
import static io.meshd.shims.internal.Rtnetlink.IFLA_ADDRESS;
import static io.meshd.shims.internal.Rtnetlink.IFLA_GSO_MAX_SEGS;
import static io.meshd.shims.internal.Rtnetlink.IFLA_MTU;
import static io.meshd.shims.internal.Rtnetlink.IFLA_NET_NS_FD;
import static io.meshd.shims.internal.Rtnetlink.NLM_F_CREATE;
import static io.meshd.shims.internal.Rtnetlink.NLM_F_EXCL;
import static io.meshd.shims.internal.Rtnetlink.RTM_DELADDR;
import static io.meshd.shims.internal.Rtnetlink.RTM_DELLINK;
import static io.meshd.shims.internal.Rtnetlink.RTM_NEWADDR;
import static io.meshd.shims.internal.Rtnetlink.RTM_NEWLINK;

import io.meshd.shims.internal.Native;
import io.meshd.shims.internal.Rtnetlink;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Interface configuration over rtnetlink (no shelling out): link up and down, MTU, MAC, IPv4 addresses, moving
 * a link to another namespace, deleting it. Every call acts on the network namespace of the calling thread, so
 * {@code netns.run(() -> InterfaceConfig.up("eth0"))} configures an interface inside {@code netns}.
 * Failures throw {@link NativeException} with the kernel's errno, e.g. {@code ENODEV} for an unknown name.
 */
public final class InterfaceConfig {

    private static final int ENODEV = 19;

    private InterfaceConfig() {
    }

    /** Whether an interface of that name exists in the calling thread's namespace. */
    public static boolean exists(String name) {
        return Native.libc().ifNameToIndex(name) != 0;
    }

    /** The interface index of {@code name}; {@link NativeException} with ENODEV when there is none. */
    public static int index(String name) {
        int index = Native.libc().ifNameToIndex(name);
        if (index == 0) {
            throw new NativeException("if_nametoindex(" + name + ")", ENODEV);
        }
        return index;
    }

    /** Sets the link administratively up. */
    public static void up(String name) {
        link(name, "up", IFF_UP, IFF_UP, m -> { });
    }

    /** Sets the link administratively down. */
    public static void down(String name) {
        link(name, "down", 0, IFF_UP, m -> { });
    }

    /** Sets the MTU. */
    public static void mtu(String name, int mtu) {
        link(name, "mtu " + mtu, 0, 0, m -> Rtnetlink.attribute(m, IFLA_MTU, mtu));
    }

    /**
     * Caps how many segments the kernel's stack puts into one GSO (TSO) packet sent through the link
     * ({@code ip link set NAME gso_max_segs N}).
     */
    public static void gsoMaxSegments(String name, int segments) {
        if (segments < 1 || segments > 65535) {
            throw new IllegalArgumentException("gso_max_segs must be 1..65535, not " + segments);
        }
        link(name, "gso_max_segs " + segments, 0, 0, m -> Rtnetlink.attribute(m, IFLA_GSO_MAX_SEGS, segments));
    }

    /** Sets the hardware address. */
    public static void mac(String name, byte[] mac) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        link(name, "address " + formatMac(mac), 0, 0, m -> Rtnetlink.attribute(m, IFLA_ADDRESS, mac.clone()));
    }

    /** Moves the link into another namespace; it is then gone from this one (and down). */
    public static void moveToNamespace(String name, NetNs target) {
        link(name, "netns " + target.path(), 0, 0, m -> Rtnetlink.attribute(m, IFLA_NET_NS_FD, target.fd()));
    }

    /** Deletes the link (for a veth, both ends go). */
    public static void delete(String name) {
        int index = index(name);
        ByteBuffer message = Rtnetlink.request(RTM_DELLINK, 0);
        Rtnetlink.ifinfomsg(message, index, 0, 0);
        send(message, "RTM_DELLINK(" + name + ")");
    }

    /** Adds an IPv4 address with its prefix length (and the subnet broadcast address). */
    public static void addIpv4(String name, Inet4Address address, int prefix) {
        address(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, name, address, prefix);
    }

    /** Removes an IPv4 address. */
    public static void removeIpv4(String name, Inet4Address address, int prefix) {
        address(RTM_DELADDR, 0, name, address, prefix);
    }

    private static void address(short type, int flags, String name, Inet4Address address, int prefix) {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("IPv4 prefix length out of range: " + prefix);
        }
        int index = index(name);
        byte[] local = address.getAddress();
        ByteBuffer message = Rtnetlink.request(type, flags);
        Rtnetlink.ifaddrmsg(message, AF_INET, prefix, index);
        Rtnetlink.attribute(message, IFA_LOCAL, local);
        Rtnetlink.attribute(message, IFA_ADDRESS, local);
        if (prefix < 31) {
            int host = ByteBuffer.wrap(local).getInt() | (int) (0xffffffffL >>> prefix);
            Rtnetlink.attribute(message, IFA_BROADCAST, ByteBuffer.allocate(4).putInt(host).array());
        }
        String verb = type == RTM_NEWADDR ? "RTM_NEWADDR(" : "RTM_DELADDR(";
        send(message, verb + name + " " + address.getHostAddress() + "/" + prefix + ")");
    }

    private static void link(String name, String what, int flags, int change, Consumer<ByteBuffer> attributes) {
        int index = index(name);
        ByteBuffer message = Rtnetlink.request(RTM_NEWLINK, 0);
        Rtnetlink.ifinfomsg(message, index, flags, change);
        attributes.accept(message);
        send(message, "RTM_NEWLINK(" + name + " " + what + ")");
    }

    private static void send(ByteBuffer message, String call) {
        try (Rtnetlink netlink = Rtnetlink.open()) {
            netlink.send(message, call);
        }
    }

    /** Formats a MAC as {@code aa:bb:cc:dd:ee:ff}. */
    public static String formatMac(byte[] mac) {
        StringBuilder text = new StringBuilder(17);
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                text.append(':');
            }
            text.append(Character.forDigit((mac[i] >> 4) & 0xf, 16)).append(Character.forDigit(mac[i] & 0xf, 16));
        }
        return text.toString();
    }
}
