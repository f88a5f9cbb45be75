package io.meshd.gossip;

import java.time.Duration;

/** Fast LOCAL-style settings for tests on loopback: failures are detected within about three seconds. */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** The fast preset. */
    public static GossipConfig.Builder fast() {
        return GossipConfig.local().probeInterval(Duration.ofMillis(200)).probeTimeout(Duration.ofMillis(100))
            .gossipInterval(Duration.ofMillis(50)).suspicionMult(3).pushPullInterval(Duration.ofSeconds(2))
            .reconnectInterval(Duration.ofMillis(500)).streamTimeout(Duration.ofMillis(500))
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
