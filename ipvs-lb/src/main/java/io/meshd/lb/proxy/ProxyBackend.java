package io.meshd.lb.proxy;

import io.meshd.lb.Backend;
import io.meshd.net.SocketAddresses;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A backend of {@code meshd proxy}: an address and a weight.
 *
 * @param address where to connect, a resolved IP address and port
 * @param weight 1 to {@link Backend#MAX_WEIGHT}
 */
public record ProxyBackend(InetSocketAddress address, int weight) {
    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException for an unresolved address or a weight out of range
     */
    public ProxyBackend {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("backend address must be an IP literal: " + address);
        }
        if (weight < 1 || weight > Backend.MAX_WEIGHT) {
            throw new IllegalArgumentException("backend weight must be 1-" + Backend.MAX_WEIGHT + ": " + weight);
        }
    }

    /**
     * Parses {@code ADDR:PORT[=WEIGHT]} ({@code [IPv6]:PORT[=WEIGHT]}).
     *
     * @param text the text
     * @return the backend
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ProxyBackend parse(String text) {
        int equals = text.lastIndexOf('=');
        InetSocketAddress address = SocketAddresses.parse(equals < 0 ? text : text.substring(0, equals));
        if (equals < 0) {
            return new ProxyBackend(address, 1);
        }
        try {
            return new ProxyBackend(address, Integer.parseInt(text.substring(equals + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad weight in '" + text + "'", e);
        }
    }

    /**
     * The identity every proxy sorts and hashes by.
     *
     * @return {@code ADDR:PORT}
     */
    public String id() {
        return SocketAddresses.format(address);
    }
}
