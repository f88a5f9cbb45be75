package io.meshd.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Finds the resolvers to forward to: the host's {@code resolv.conf} nameservers, minus our own addresses. */
public final class Upstreams {

    /** Docker's embedded-resolver address, never an upstream of ours. */
    public static final String EMBEDDED_ADDRESS = "127.0.0.11";

    private Upstreams() {
    }

    /**
     * The {@code nameserver} lines of a resolv.conf file, port 53, excluding {@code 127.0.0.11} and every address in
     * {@code ownAddresses} (we must not forward to ourselves). A missing file gives an empty list.
     */
    public static List<InetSocketAddress> fromResolvConf(Path file, Collection<InetSocketAddress> ownAddresses)
        throws IOException {
        List<InetSocketAddress> result = new ArrayList<>();
        if (!Files.exists(file)) {
            return result;
        }
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 2 || !fields[0].equals("nameserver")) {
                continue;
            }
            String host = fields[1];
            int zone = host.indexOf('%');
            if (zone >= 0) {
                host = host.substring(0, zone);
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (java.net.UnknownHostException e) {
                continue;
            }
            if (address.getHostAddress().equals(EMBEDDED_ADDRESS) || isOwn(address, ownAddresses)) {
                continue;
            }
            result.add(new InetSocketAddress(address, 53));
        }
        return result;
    }

    private static boolean isOwn(InetAddress address, Collection<InetSocketAddress> own) {
        for (InetSocketAddress a : own) {
            if (a.getPort() == 53 && a.getAddress().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** Parses {@code ADDR} or {@code ADDR:PORT} (IPv6 as {@code [ADDR]:PORT}); the port defaults to 53. */
    public static InetSocketAddress parse(String text) {
        return parse(text, 53);
    }

    /** Parses {@code ADDR[:PORT]} with a default port. */
    public static InetSocketAddress parse(String text, int defaultPort) {
        String host = text;
        int port = defaultPort;
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
                port = parsePort(text.substring(close + 2), text);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = parsePort(text.substring(text.indexOf(':') + 1), text);
        }
        if (host.isEmpty() || !(Character.isDigit(host.charAt(0)) || host.indexOf(':') >= 0)) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address (names are not resolved)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address", e);
        }
    }

    private static int parsePort(String port, String whole) {
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
