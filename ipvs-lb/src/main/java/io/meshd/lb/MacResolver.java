package io.meshd.lb;

/** The MAC of an address on an overlay network, as the switch's neighbor table knows it. */
@FunctionalInterface
public interface MacResolver {
    /** Returned when the address has no known MAC. */
    long UNKNOWN = -1L;

    /**
     * Looks an address up; allocation-free.
     *
     * @param vni the overlay network
     * @param ip the IPv4 address, network order
     * @return its MAC (48 bits), or {@link #UNKNOWN}
     */
    long macOf(int vni, int ip);
}
