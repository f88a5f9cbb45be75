package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SuspicionTest {

    @Test
    void shouldStartAtTheMaximumAndShrinkToTheMinimumWithConfirmations() {
        Suspicion s = new Suspicion(0, 1_000, 6_000, 2, "a");
        assertEquals(6_000, s.timeoutNanos());
        assertTrue(s.confirm("b"));
        // log(2)/log(3) of the way down: 6000 - 5000 * 0.6309 = 2845
        assertEquals(2845, s.timeoutNanos(), 1);
        assertTrue(s.confirm("c"));
        assertEquals(1_000, s.timeoutNanos());
    }

    @Test
    void shouldCountEachConfirmerOnceAndNoMoreThanExpected() {
        Suspicion s = new Suspicion(0, 1_000, 6_000, 2, "a");
        assertFalse(s.confirm("a"));
        assertTrue(s.confirm("b"));
        assertFalse(s.confirm("b"));
        assertTrue(s.confirm("c"));
        assertFalse(s.confirm("d"));
        assertEquals(2, s.confirmations());
    }

    @Test
    void shouldUseTheMinimumAtOnceWhenNoConfirmationsAreExpected() {
        assertEquals(1_000, new Suspicion(0, 1_000, 6_000, 0, "a").timeoutNanos());
    }

    @Test
    void shouldReportRemainingTimeFromTheStart() {
        Suspicion s = new Suspicion(100, 1_000, 6_000, 0, "a");
        assertEquals(600, s.remainingNanos(500));
        assertEquals(0, s.remainingNanos(5_000));
    }

    @Test
    void shouldScaleTheMinimumWithLog10OfTheClusterSize() {
        assertEquals(4_000, Suspicion.minTimeoutNanos(4, 5, 1_000), "below 10 members the scale is 1");
        assertEquals(8_000, Suspicion.minTimeoutNanos(4, 100, 1_000));
        assertEquals(12_000, Suspicion.minTimeoutNanos(4, 1000, 1_000));
    }
}
