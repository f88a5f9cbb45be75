package io.meshd.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DetectionBoundTest {

    /** LOCAL, 200 ms probes, 50 ms gossip, suspicionMult 3 (awareness max 8, suspicion max mult 6, retransmit 2). */
    private static GossipConfig config() {
        return GossipConfig.local().name("bound").probeInterval(Duration.ofMillis(200))
            .probeTimeout(Duration.ofMillis(100)).gossipInterval(Duration.ofMillis(50)).suspicionMult(3).build();
    }

    @Test
    void shouldCoverAMemberProbedFirstInOneRoundAndLastInTheNext() {
        // 5 members: 2·5 − 2 = 8 probe slots of 200 ms × 8 = 12.8 s; suspicion 6 × 3 × 1 × 200 ms = 3.6 s;
        // dissemination 2 × ⌈log10 6⌉ = 2 sends, 50 ms apart = 0.1 s.
        assertEquals(Duration.ofMillis(12_800 + 3_600 + 100), DetectionBound.of(config(), 5));
    }

    @Test
    void shouldScaleSuspicionWithTheLogarithmOfTheClusterSize() {
        // 100 members: 198 slots × 1.6 s = 316.8 s; suspicion 6 × 3 × log10(100) = 2 × 200 ms = 7.2 s;
        // dissemination 2 × ⌈log10 101⌉ = 6 sends × 50 ms = 0.3 s.
        assertEquals(Duration.ofMillis(316_800 + 7_200 + 300), DetectionBound.of(config(), 100));
    }
}
