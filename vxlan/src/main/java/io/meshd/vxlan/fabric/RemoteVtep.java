package io.meshd.vxlan.fabric;

import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.packet.Ipv4;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A remote VXLAN tunnel endpoint as a destination: its IPv4 address and VXLAN UDP port. Value object; {@link
 * #of(int, int)} interns instances in a lock-free cache, so turning a datagram's sender into a {@code RemoteVtep}
 * allocates nothing once the peer has been seen. Compare with {@link #equals(Object)}: instances made after the
 * cache is full are equal but not identical.
 */
public final class RemoteVtep {
    private static final int CACHE_SIZE = 4096;
    private static final int MAX_PROBES = 16;
    private static final AtomicReferenceArray<RemoteVtep> CACHE = new AtomicReferenceArray<>(CACHE_SIZE);
    private final int address;
    private final int port;

    private RemoteVtep(int address, int port) {
        this.address = address;
        this.port = port;
    }

    /**
     * The VTEP at an address and port, interned.
     *
     * @param address the IPv4 address
     * @param port the UDP port VXLAN is sent to (the peer's VXLAN port, not a datagram's source port)
     * @return the VTEP
     * @throws IllegalArgumentException if the port is not 0-65535
     */
    public static RemoteVtep of(int address, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("bad UDP port " + port);
        }
        int hash = address * 0x9E37_79B9 ^ port * 0x85EB_CA6B;
        int index = (hash ^ hash >>> 16) & (CACHE_SIZE - 1);
        for (int probe = 0; probe < MAX_PROBES; probe++) {
            RemoteVtep cached = CACHE.get(index);
            if (cached == null) {
                RemoteVtep created = new RemoteVtep(address, port);
                if (CACHE.compareAndSet(index, null, created)) {
                    return created;
                }
                cached = CACHE.get(index);
            }
            if (cached.address == address && cached.port == port) {
                return cached;
            }
            index = (index + 1) & (CACHE_SIZE - 1);
        }
        return new RemoteVtep(address, port);
    }

    /**
     * The VTEP at an address on the IANA VXLAN port 4789.
     *
     * @param address the IPv4 address
     * @return the VTEP
     */
    public static RemoteVtep of(int address) {
        return of(address, VxlanCodec.DEFAULT_PORT);
    }

    /**
     * Parses {@code 10.0.0.2} or {@code 10.0.0.2:4789}.
     *
     * @param text the address, with an optional port (default 4789)
     * @return the VTEP
     * @throws IllegalArgumentException if the text is not an address with an optional port
     */
    public static RemoteVtep parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return of(Ipv4.parse(text));
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text, e);
        }
        return of(Ipv4.parse(text.substring(0, colon)), port);
    }

    /**
     * The IPv4 address.
     *
     * @return the address
     */
    public int address() {
        return address;
    }

    /**
     * The UDP port.
     *
     * @return 0-65535
     */
    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RemoteVtep && ((RemoteVtep) other).address == address
            && ((RemoteVtep) other).port == port;
    }

    @Override
    public int hashCode() {
        return address * 31 + port;
    }

    @Override
    public String toString() {
        return Ipv4.format(address) + ":" + port;
    }
}
