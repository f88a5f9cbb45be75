package io.meshd.mesh.codec;

import java.net.Inet4Address;
import java.net.InetAddress;

/** Subnet arithmetic on raw addresses. */
public final class Subnets {
    private Subnets() {
    }

    /** Whether every bit of {@code address} after {@code prefix} is zero. */
    public static boolean isNetworkAddress(InetAddress address, int prefix) {
        byte[] raw = address.getAddress();
        for (int bit = prefix; bit < raw.length * 8; bit++) {
            if ((raw[bit / 8] >> (7 - bit % 8) & 1) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code ip} lies in {@code subnet/prefix} (same family). */
    public static boolean contains(InetAddress subnet, int prefix, InetAddress ip) {
        byte[] s = subnet.getAddress();
        byte[] a = ip.getAddress();
        if (s.length != a.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            if ((s[bit / 8] >> (7 - bit % 8) & 1) != (a[bit / 8] >> (7 - bit % 8) & 1)) {
                return false;
            }
        }
        return true;
    }

    /** Whether two subnets share an address. */
    public static boolean overlap(InetAddress a, int prefixA, InetAddress b, int prefixB) {
        return contains(a, Math.min(prefixA, prefixB), b) && a.getAddress().length == b.getAddress().length;
    }

    /** An IPv4 address as the int the data plane uses. */
    public static int ipv4(InetAddress a) {
        if (!(a instanceof Inet4Address)) {
            throw new IllegalArgumentException(a.getHostAddress() + " is not IPv4");
        }
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    }

    /** The IPv4 address of the data plane's int. */
    public static InetAddress address(int ipv4) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16),
                (byte) (ipv4 >>> 8), (byte) ipv4});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
