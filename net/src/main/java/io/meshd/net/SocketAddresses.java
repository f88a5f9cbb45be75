package io.meshd.net;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Parses IP literals and {@code ADDR:PORT} text (IPv6 as {@code [ADDR]:PORT}) for configuration files and command
 * lines. Host names are refused, never resolved: parsing an argument must not block on, or leak queries to, DNS.
 * Errors are {@link IllegalArgumentException}s whose message quotes the input and says what was expected.
 */
public final class SocketAddresses {

    private SocketAddresses() {
    }

    /**
     * An IPv4 or IPv6 literal.
     *
     * @throws IllegalArgumentException for anything else, host names included
     */
    public static InetAddress address(String text) {
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(text);
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address (host names are not resolved)");
        }
        return address;
    }

    /**
     * {@code ADDR:PORT} or {@code [IPv6]:PORT}: the port is required.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InetSocketAddress parse(String text) {
        return parse(text, -1);
    }

    /**
     * {@code ADDR}, {@code ADDR:PORT}, {@code IPv6} or {@code [IPv6]:PORT}; without a port, {@code defaultPort}.
     *
     * @param defaultPort the port when none is given, or -1 to require one
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InetSocketAddress parse(String text, int defaultPort) {
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in '" + text + "'");
            }
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                if (text.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("expected ':' after ']' in '" + text + "'");
                }
                port = text.substring(close + 2);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        if (port == null && defaultPort < 0) {
            throw new IllegalArgumentException("'" + text + "' has no port: expected ADDR:PORT ([ADDR]:PORT for IPv6)");
        }
        return new InetSocketAddress(address(host), port == null ? defaultPort : port(port, text));
    }

    /**
     * The text {@link #parse(String)} reads back: {@code ADDR:PORT}, or {@code [IPv6]:PORT}.
     *
     * @param address a resolved address
     * @return its text form
     * @throws IllegalArgumentException if the address is unresolved
     */
    public static String format(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        String ip = NetUtil.toAddressString(address.getAddress());
        return (address.getAddress() instanceof java.net.Inet6Address ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }

    private static int port(String port, String whole) {
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " out of range in '" + whole + "'");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + port + "' in '" + whole + "'", e);
        }
    }
}
