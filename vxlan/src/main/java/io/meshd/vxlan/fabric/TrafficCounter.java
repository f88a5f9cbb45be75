package io.meshd.vxlan.fabric;

/**
 * What the fabric counts besides drops (see {@link SwitchFabric#traffic()}).
 */
public enum TrafficCounter {
    /** Frames received from local ports. */
    FROM_LOCAL,
    /** Frames received from the uplink. */
    FROM_UPLINK,
    /** Copies handed to local ports. */
    LOCAL_DELIVERIES,
    /** Copies handed to the uplink. */
    UPLINK_SENDS,
    /** Frames flooded (broadcast, multicast, unknown unicast). */
    FLOODS,
    /** ARP requests answered locally. */
    ARP_REPLIES,
    /** ARP requests for an address the neighbor table does not hold: switched (flooded) as usual. */
    ARP_MISSES,
    /** Frames the frame hook answered itself (the VIP NAT's RST or port unreachable), delivered back to the sender. */
    HOOK_REPLIES,
    /** Addresses learned or moved. */
    LEARNED
}
