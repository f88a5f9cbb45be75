package io.meshd.lb;

/** What {@link VipNat} did with a packet; the caller acts on it (forward, answer with RST or ICMP, drop). */
public enum NatVerdict {
    /** Not for a VIP (or not a translated reply): forward it unchanged. */
    PASS,
    /** Rewritten: forward it to the backend (or, for a reply, to the client). */
    TRANSLATED,
    /** For a VIP but no service on that port and protocol: answer as a closed port would (TCP RST, ICMP). */
    NO_SERVICE,
    /** For a service whose backends all are down or draining: answer as a closed port would. */
    NO_BACKEND,
    /** For a VIP but not translatable (a fragment, a malformed L4 header): drop and count. */
    MALFORMED,
}
