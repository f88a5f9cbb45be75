package io.meshd.gossip;

import io.meshd.gossip.internal.BroadcastQueue;
import java.time.Duration;

/** Fast LOCAL-style settings for tests on loopback: failures are detected within about three seconds. */
public final class TestConfigs {

    private TestConfigs() {
    }

    /**
     * The fast preset. Streams (join, push-pull) get 2 s: one includes a TCP connect and, on first use, cipher
     * warm-up, which on a loaded 2-core machine can take longer than the probe timings here.
     */
    public static GossipConfig.Builder fast() {
        return GossipConfig.local().probeInterval(Duration.ofMillis(200)).probeTimeout(Duration.ofMillis(100))
            .gossipInterval(Duration.ofMillis(50)).suspicionMult(3).pushPullInterval(Duration.ofSeconds(2))
            .reconnectInterval(Duration.ofMillis(500)).streamTimeout(Duration.ofSeconds(2))
            .gossipToTheDeadTime(Duration.ofSeconds(3));
    }

    /**
     * What a loaded 2-core machine adds to the protocol's own timing: timers firing late and packets waiting for a
     * busy event loop (other JVMs, GC pauses, a parallel build). Stated once, added to every derived bound.
     */
    public static final Duration SCHEDULING_ALLOWANCE = Duration.ofSeconds(3);

    /** Crash-to-dead bound for {@link #fast()} at {@code n} members: {@link DetectionBound} plus the allowance. */
    public static Duration detectionBound(int n) {
        return DetectionBound.of(fast().name("bound").build(), n).plus(SCHEDULING_ALLOWANCE);
    }

    /**
     * How long a table entry written on one of {@code n} members takes to reach every other one with {@link #fast()}:
     * its gossip (retransmitted to random peers a limited number of times) may miss a member, which then gets it
     * from a push-pull with a member that has it: three push-pull intervals, plus the allowance.
     */
    public static Duration spreadBound(int n) {
        GossipConfig cfg = fast().name("bound").build();
        long gossip = BroadcastQueue.retransmitLimit(cfg.retransmitMult(), n) * cfg.gossipInterval().toNanos();
        return Duration.ofNanos(gossip).plus(cfg.pushPullInterval().multipliedBy(3)).plus(SCHEDULING_ALLOWANCE);
    }
}
