package io.meshd.dns.records;

import java.util.List;

/**
 * One network's names: its endpoints and its services.
 *
 * @param name the network name, also the suffix of its names ({@code web.front})
 * @param endpoints the endpoints attached to it
 * @param services the services on it
 */
public record MeshNetwork(String name, List<MeshEndpoint> endpoints, List<MeshService> services) {

    /** The TTL value that means "the source's default TTL". */
    public static final int DEFAULT_TTL = -1;

    /** Copies the lists and checks the name. */
    public MeshNetwork {
        checkLabel(name, "network name");
        endpoints = List.copyOf(endpoints);
        services = List.copyOf(services);
    }

    static void checkLabel(String label, String what) {
        if (label.isEmpty() || label.length() > 63) {
            throw new IllegalArgumentException(what + " '" + label + "' must be 1 to 63 characters");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                || c == '_' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException(what + " '" + label + "' has character '" + c
                    + "' (allowed: letters, digits, '-', '_', '.')");
            }
        }
        if (label.startsWith(".") || label.endsWith(".") || label.contains("..")) {
            throw new IllegalArgumentException(what + " '" + label + "' has an empty label");
        }
    }
}
