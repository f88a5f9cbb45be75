package io.meshd.lb;

import io.meshd.packet.Ipv4;

/**
 * One backend of a service: the task's address and port, its weight, and whether it is healthy.
 *
 * <p>New flows go only to healthy backends of weight above 0. Weight 0 is draining (flows already pinned to it keep
 * it; none are added); unhealthy takes it out of the choice for new flows as well.
 *
 * @param ip the backend's IPv4 address, network order in an {@code int}
 * @param port 1-65535
 * @param weight 0 (draining) to {@link Backend#MAX_WEIGHT}
 * @param healthy whether it passes its health checks
 */
public record ServiceBackend(int ip, int port, int weight, boolean healthy) {
    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if the port or the weight is out of range
     */
    public ServiceBackend {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 1-65535: " + port);
        }
        if (weight < 0 || weight > Backend.MAX_WEIGHT) {
            throw new IllegalArgumentException("weight must be 0-" + Backend.MAX_WEIGHT + ": " + weight);
        }
    }

    /**
     * Parses {@code IP:PORT[=WEIGHT]}, healthy, weight 1 by default.
     *
     * @param text e.g. {@code 10.0.9.5:80=2}
     * @return the backend
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ServiceBackend parse(String text) {
        int equals = text.indexOf('=');
        String address = equals < 0 ? text : text.substring(0, equals);
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected IP:PORT[=WEIGHT]: '" + text + "'");
        }
        try {
            int weight = equals < 0 ? 1 : Integer.parseInt(text.substring(equals + 1));
            return new ServiceBackend(Ipv4.parse(address.substring(0, colon)),
                Integer.parseInt(address.substring(colon + 1)), weight, true);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in '" + text + "'", e);
        }
    }

    /**
     * The stable identity every node sorts and hashes by: {@code IP:PORT}.
     *
     * @return the identity
     */
    public String id() {
        return Ipv4.format(ip) + ":" + port;
    }

    /**
     * The same backend with another health.
     *
     * @param value healthy or not
     * @return a backend
     */
    public ServiceBackend withHealthy(boolean value) {
        return new ServiceBackend(ip, port, weight, value);
    }

    /**
     * The same backend with another weight.
     *
     * @param value 0 (draining) to {@link Backend#MAX_WEIGHT}
     * @return a backend
     */
    public ServiceBackend withWeight(int value) {
        return new ServiceBackend(ip, port, value, healthy);
    }

    /** The weight Maglev gives it for new flows: 0 unless healthy. */
    int effectiveWeight() {
        return healthy ? weight : 0;
    }
}
