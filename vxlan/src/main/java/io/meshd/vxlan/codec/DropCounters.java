package io.meshd.vxlan.codec;

import io.meshd.net.metrics.EnumCounters;

/**
 * One counter per {@link DropReason}, incremented from any thread without allocating or locking; {@link
 * #snapshot()} keys them by {@link DropReason#key()}.
 */
public final class DropCounters extends EnumCounters<DropReason> {
    /** Creates counters at zero. */
    public DropCounters() {
        super(DropReason.class, "meshd_vxlan_drops_total", "Frames the VXLAN codec and switch dropped, by reason",
            "reason");
    }

    /**
     * Counts the drop for a negative code returned by a decoder.
     *
     * @param code a negated {@link DropReason#code()}
     * @throws IllegalArgumentException if no reason has this code
     */
    public void incrementCode(int code) {
        increment(DropReason.ofCode(code));
    }
}
