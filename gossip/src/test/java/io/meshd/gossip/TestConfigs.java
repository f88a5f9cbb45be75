package io.meshd.gossip;

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
     * Upper bound on crash-to-dead for {@link #fast()} at {@code n} members: a probe round of every member, the
     * longest suspicion timeout, and a second of slack for dissemination and a busy machine.
     */
    public static Duration detectionBound(int n) {
        double minSuspicion = 3 * Math.max(1, Math.log10(n)) * 0.2;
        return Duration.ofMillis((long) (n * 200 + 6 * minSuspicion * 1000 + 1000));
    }
}
