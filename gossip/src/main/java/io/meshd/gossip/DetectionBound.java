package io.meshd.gossip;

import io.meshd.gossip.internal.BroadcastQueue;
import io.meshd.gossip.internal.Suspicion;
import java.time.Duration;

/**
 * The longest the protocol takes, by its configuration alone, from a member becoming unreachable until every other
 * member has declared it dead (no message loss, no scheduling delay: callers add their own allowance for those):
 * <ol>
 *   <li>until the failed member's probe ends: probe order is a shuffled round robin, so a member probed first in
 *       one round (just before it became unreachable) may come last in the next: {@code 2n − 3} probe slots until
 *       its probe starts, plus the probe's own interval, each at the slowest interval Lifeguard allows
 *       ({@code probeInterval × awarenessMaxMultiplier}; in a partition, probes whose indirect helpers are cut off
 *       never get their nacks, so health scores do climb to the maximum);</li>
 *   <li>the longest suspicion: {@code suspicionMaxTimeoutMult × suspicionMult × max(1, log10 n) × probeInterval}
 *       (no confirmation shortened it);</li>
 *   <li>dissemination of the death: sent at most {@code retransmitMult × ⌈log10(n + 1)⌉} times, one gossip interval
 *       apart.</li>
 * </ol>
 */
public final class DetectionBound {

    private DetectionBound() {
    }

    /** The bound for a cluster of {@code members} members configured by {@code cfg}. */
    public static Duration of(GossipConfig cfg, int members) {
        long probe = cfg.probeInterval().toNanos();
        long probeSlots = Math.max(1L, 2L * members - 2L);
        long probeRound = probeSlots * probe * cfg.awarenessMaxMultiplier();
        long suspicion = cfg.suspicionMaxTimeoutMult()
            * Suspicion.minTimeoutNanos(cfg.suspicionMult(), members, probe);
        long dissemination = BroadcastQueue.retransmitLimit(cfg.retransmitMult(), members)
            * cfg.gossipInterval().toNanos();
        return Duration.ofNanos(probeRound + suspicion + dissemination);
    }
}
