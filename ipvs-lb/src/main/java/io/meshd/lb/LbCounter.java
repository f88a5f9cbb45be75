package io.meshd.lb;

/** What the VIP NAT did with frames, for {@code meshd_lb_frames_total{event=...}}. */
public enum LbCounter {
    /** Towards a backend, rewritten. */
    TO_BACKEND,
    /** Back to a client, rewritten. */
    TO_CLIENT,
    /** For a VIP port with no service: answered with a TCP reset or ICMP port unreachable. */
    NO_SERVICE,
    /** For a service with no backend taking new flows: answered as a closed port. */
    NO_BACKEND,
    /** A fragment, or a bad TCP/UDP/ICMP header, for a VIP: dropped. */
    MALFORMED,
    /** The chosen backend's MAC is unknown on that network: dropped. */
    NO_NEIGHBOR,
}
