package io.meshd.gossip.internal;

/**
 * Lifeguard's local health multiplier: a score in {@code [0, max)} raised when this node misses acks and nacks
 * (evidence that it is the slow one) or has to refute a suspicion, lowered on every successful probe. Probe
 * intervals and timeouts are multiplied by {@code score + 1}.
 */
public final class Awareness {

    private final int max;
    /** Written on the protocol thread only; volatile so a metrics export may read it from another. */
    private volatile int score;

    /** A multiplier bounded by {@code max}. */
    public Awareness(int max) {
        this.max = max;
    }

    /** Adds {@code delta}, clamped to {@code [0, max - 1]}. */
    public void apply(int delta) {
        score = Math.max(0, Math.min(max - 1, score + delta));
    }

    /** The current score (0 = healthy). */
    public int score() {
        return score;
    }

    /** {@code nanos} stretched by the multiplier. */
    public long scale(long nanos) {
        return nanos * (score + 1);
    }
}
