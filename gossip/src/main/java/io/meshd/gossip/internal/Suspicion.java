package io.meshd.gossip.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * Lifeguard's dynamic suspicion timeout: it starts at {@code max} and shrinks towards {@code min} as independent
 * members confirm the suspicion, following memberlist's formula
 * {@code timeout = max(min, max - (max - min) · log(c + 1) / log(k + 1))} with c confirmations out of k expected.
 */
public final class Suspicion {

    private final long startNanos;
    private final long minNanos;
    private final long maxNanos;
    private final int expected;
    private final Set<String> confirmers = new HashSet<>();

    /**
     * A suspicion raised at {@code start} by {@code from}; {@code expected} is k (0 in clusters too small to
     * confirm, which makes the timeout the minimum at once).
     */
    public Suspicion(long start, long minNanos, long maxNanos, int expected, String from) {
        this.startNanos = start;
        this.minNanos = minNanos;
        this.maxNanos = Math.max(minNanos, maxNanos);
        this.expected = Math.max(0, expected);
        confirmers.add(from);
    }

    /** Records an independent confirmation; false if {@code from} already counted. */
    public boolean confirm(String from) {
        return confirmers.size() - 1 < expected && confirmers.add(from);
    }

    /** Confirmations beyond the first suspicion. */
    public int confirmations() {
        return confirmers.size() - 1;
    }

    /** The current total timeout. */
    public long timeoutNanos() {
        if (expected == 0) {
            return minNanos;
        }
        double frac = Math.log(confirmations() + 1.0) / Math.log(expected + 1.0);
        long t = (long) (maxNanos - frac * (maxNanos - minNanos));
        return Math.max(minNanos, t);
    }

    /** Time left at {@code now} (never negative). */
    public long remainingNanos(long now) {
        return Math.max(0, startNanos + timeoutNanos() - now);
    }

    /** Minimum suspicion timeout, memberlist's {@code suspicionTimeout}: mult · log10(max(n,1)) · interval. */
    public static long minTimeoutNanos(int suspicionMult, int n, long probeIntervalNanos) {
        double nodeScale = Math.max(1.0, Math.log10(Math.max(1.0, n)));
        return (long) (suspicionMult * nodeScale * probeIntervalNanos);
    }
}
