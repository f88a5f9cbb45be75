package io.meshd.vxlan.codec;

import java.util.Locale;

/**
 * Why a packet was dropped. Each reason has a small positive {@link #code()}; decoders return its negative on the
 * packet path instead of throwing, and {@link #ofCode(int)} maps it back without allocating.
 */
public enum DropReason {
    /** Shorter than the headers it must hold. */
    TRUNCATED,
    /** VXLAN header without the I flag. */
    BAD_FLAGS,
    /** A VNI this node has no network for. */
    UNKNOWN_VNI,
    /** Longer than the largest frame accepted. */
    OVERSIZED,
    /** The inner Ethernet frame is malformed (802.3 length instead of a type, group source MAC, ...). */
    BAD_INNER_FRAME,
    /** Unicast to a MAC with no forwarding entry, and nowhere to flood it. */
    NO_ROUTE,
    /** Would go back where it came from: to the ingress port, or from the uplink back to the uplink. */
    LOOP,
    /** From a local port that is not attached (any more). */
    UNKNOWN_PORT,
    /** The outer IP/UDP headers are malformed or not addressed to this VTEP. */
    BAD_OUTER_HEADER,
    /** No buffer was available to hold the packet. */
    NO_BUFFER,
    /** The transport refused or failed the send. */
    SEND_FAILED,
    /** The switch's frame hook (the VIP NAT) dropped it; the hook's own counters say why. */
    HOOK_DROPPED;

    private static final DropReason[] VALUES = values();
    private final String key = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /**
     * The code returned (negated) by decoders.
     *
     * @return 1 or more
     */
    public int code() {
        return ordinal() + 1;
    }

    /**
     * The kebab-case name used in counters, the API and the CLI.
     *
     * @return e.g. {@code unknown-vni}
     */
    public String key() {
        return key;
    }

    /**
     * The reason for a code, positive or negated.
     *
     * @param code a value from {@link #code()} or its negative
     * @return the reason
     * @throws IllegalArgumentException if no reason has this code
     */
    public static DropReason ofCode(int code) {
        int index = Math.abs(code) - 1;
        if (index < 0 || index >= VALUES.length) {
            throw new IllegalArgumentException("no drop reason with code " + code);
        }
        return VALUES[index];
    }
}
