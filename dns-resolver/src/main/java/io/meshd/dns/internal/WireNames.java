package io.meshd.dns.internal;

import io.meshd.dns.DomainName;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Conversions between dotted names and the DNS wire format (length-prefixed labels ending in a zero byte). Used
 * when tables are built, never per query.
 */
public final class WireNames {

    /** The longest name on the wire, root byte included (RFC 1035 section 2.3.4). */
    public static final int MAX_NAME_LENGTH = 255;
    /** The longest label (RFC 1035 section 2.3.4). */
    public static final int MAX_LABEL_LENGTH = 63;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private WireNames() {
    }

    /**
     * The lower-case wire form of a dotted name ({@code "web.front"} becomes {@code 3 web 5 front 0}); a trailing dot
     * is allowed, the empty string and {@code "."} are the root.
     *
     * @throws IllegalArgumentException for empty labels, labels over 63 bytes or names over 255 bytes
     */
    public static byte[] toWire(String dotted) {
        String name = DomainName.canonical(dotted);
        if (name.isEmpty()) {
            return new byte[] {0};
        }
        byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
        byte[] wire = new byte[ascii.length + 2];
        int labelStart = 0;
        int out = 0;
        for (int i = 0; i <= ascii.length; i++) {
            if (i == ascii.length || ascii[i] == '.') {
                int len = i - labelStart;
                if (len == 0) {
                    throw new IllegalArgumentException("empty label in name '" + dotted + "'");
                }
                if (len > MAX_LABEL_LENGTH) {
                    throw new IllegalArgumentException("label longer than 63 bytes in name '" + dotted + "'");
                }
                wire[out++] = (byte) len;
                System.arraycopy(ascii, labelStart, wire, out, len);
                out += len;
                labelStart = i + 1;
            }
        }
        wire[out] = 0;
        if (wire.length > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name longer than 255 bytes: '" + dotted + "'");
        }
        return wire;
    }

    /** The dotted form of a wire name (without a trailing dot; the root is {@code "."}). */
    public static String toDotted(byte[] wire, int offset) {
        StringBuilder sb = new StringBuilder();
        int i = offset;
        while (wire[i] != 0) {
            int len = wire[i] & 0xFF;
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(new String(wire, i + 1, len, StandardCharsets.US_ASCII));
            i += len + 1;
        }
        return sb.length() == 0 ? "." : sb.toString();
    }

    /** The reverse-lookup name of an address: {@code 4.3.2.1.in-addr.arpa} or the nibble form under ip6.arpa. */
    public static String reverseName(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder sb = new StringBuilder();
        if (address instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                sb.append(b[i] & 0xFF).append('.');
            }
            return sb.append("in-addr.arpa").toString();
        }
        if (!(address instanceof Inet6Address)) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        for (int i = 15; i >= 0; i--) {
            sb.append(HEX[b[i] & 0xF]).append('.').append(HEX[(b[i] >> 4) & 0xF]).append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    /** True if {@code name} equals {@code suffix} or ends with it on a label boundary (both lower-case wire). */
    public static boolean isAtOrBelow(byte[] name, int nameLength, byte[] suffix) {
        int start = nameLength - suffix.length;
        if (start < 0) {
            return false;
        }
        int i = 0;
        while (i < start) {
            i += (name[i] & 0xFF) + 1;
        }
        if (i != start) {
            return false;
        }
        for (int k = 0; k < suffix.length; k++) {
            if (name[start + k] != suffix[k]) {
                return false;
            }
        }
        return true;
    }
}
