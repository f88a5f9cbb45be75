package io.meshd.gossip.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void shouldDetectCrashEverywhereWithoutFalsePositivesAtTenPercentLossAndSlowNodes() {
        SimulationReport r = Simulation.builder().nodes(40).loss(0.10).slowFraction(0.05).seed(7)
            .duration(Duration.ofSeconds(60)).build().run();
        System.out.println(r.format(true));
        assertEquals(r.observers(), r.detected(), r.format(false));
        assertEquals(0, r.falselyDeadMembers(), r.format(false));
        assertEquals(r.receivers(), r.reached(), r.format(false));
        // LAN: min suspicion = 4 * log10(40) s = 6.4 s, max 6x that; detection must sit between the two bounds.
        assertTrue(r.detectionSeconds(100) < 6 * 6.4 + 5, r.format(false));
        assertTrue(r.detectionSeconds(50) > 6.4, r.format(false));
    }

    @Test
    void shouldReplayIdenticallyFromTheSameSeed() {
        Simulation.Builder b = Simulation.builder().nodes(30).loss(0.05).slowFraction(0.1).seed(42)
            .duration(Duration.ofSeconds(30));
        String first = b.build().run().format(false);
        String second = b.build().run().format(false);
        assertEquals(first, second);
        String other = Simulation.builder().nodes(30).loss(0.05).slowFraction(0.1).seed(43)
            .duration(Duration.ofSeconds(30)).build().run().format(false);
        assertTrue(!other.equals(first), "a different seed should give a different run");
    }
}
