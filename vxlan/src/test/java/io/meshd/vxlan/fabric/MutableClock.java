package io.meshd.vxlan.fabric;

import org.agrona.concurrent.NanoClock;

import java.time.Duration;

/**
 * A clock tests move by hand.
 */
final class MutableClock implements NanoClock {
    private volatile long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    void advance(Duration duration) {
        nanos += duration.toNanos();
    }
}
