package io.meshd.dns.records;

import java.util.Locale;

/**
 * A port a service offers, named for SRV records: {@code _<name>._<protocol>.<service>} and
 * {@code _<port>._<protocol>.<service>}.
 *
 * @param name the port's service name, e.g. {@code http} (may be empty: then only the numeric form exists)
 * @param port 1..65535
 * @param protocol {@code tcp} or {@code udp}
 */
public record PublishedPort(String name, int port, String protocol) {

    /** The longest port name: {@code _<name>} is one DNS label of at most 63 bytes. */
    static final int MAX_NAME_LENGTH = 62;

    /** Validates and lower-cases. */
    public PublishedPort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
        protocol = protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("protocol '" + protocol + "' is neither tcp nor udp");
        }
        name = name.toLowerCase(Locale.ROOT);
        checkName(name);
    }

    /** A port name is one label of letters, digits and '-' (RFC 6335), or empty. */
    private static void checkName(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("port name '" + name + "' is longer than " + MAX_NAME_LENGTH
                + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                throw new IllegalArgumentException("port name '" + name + "' has character '" + c
                    + "' (allowed: letters, digits, '-')");
            }
        }
    }
}
