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
    }
}
