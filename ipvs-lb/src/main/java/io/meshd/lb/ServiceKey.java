package io.meshd.lb;

import io.meshd.packet.Ipv4;
import java.util.Objects;

/**
 * What a service answers on: a virtual IPv4 address, a port and a protocol.
 *
 * @param vip the virtual IP, network order in an {@code int}
 * @param port 1-65535
 * @param protocol TCP or UDP
 */
public record ServiceKey(int vip, int port, Protocol protocol) {
    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if the port is out of range
     */
    public ServiceKey {
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 1-65535: " + port);
        }
    }

    /**
     * Parses {@code VIP:PORT/PROTO}, e.g. {@code 10.0.9.100:80/tcp}; the protocol defaults to TCP.
     *
     * @param text the text
     * @return the key
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ServiceKey parse(String text) {
        int slash = text.indexOf('/');
        Protocol protocol = slash < 0 ? Protocol.TCP : Protocol.parse(text.substring(slash + 1));
        String address = slash < 0 ? text : text.substring(0, slash);
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected VIP:PORT[/tcp|/udp]: '" + text + "'");
        }
        return new ServiceKey(Ipv4.parse(address.substring(0, colon)), port(address.substring(colon + 1), text),
            protocol);
    }

    private static int port(String port, String whole) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + port + "' in '" + whole + "'", e);
        }
    }

    /**
     * The key as one {@code long} (VIP, port and protocol number packed), for allocation-free lookups.
     *
     * @return the packed key
     */
    public long packed() {
        return pack(vip, port, protocol.number());
    }

    /**
     * Packs a key from a frame's fields without building a record.
     *
     * @param vip the destination address
     * @param port the destination port
     * @param protocolNumber the IP protocol number
     * @return the packed key
     */
    public static long pack(int vip, int port, int protocolNumber) {
        return (vip & 0xFFFF_FFFFL) << 32 | (long) (port & 0xFFFF) << 8 | protocolNumber & 0xFF;
    }

    @Override
    public String toString() {
        return Ipv4.format(vip) + ":" + port + "/" + protocol;
    }
}
