package io.meshd.vxlan.fabric;

import org.agrona.concurrent.NanoClock;

import java.time.Duration;

/**
 * A clock tests move by hand, counting how often it is read (from one thread).
 */
final class MutableClock implements NanoClock {
    private volatile long nanos = 1_000_000_000L;
    private long reads;

    @Override
    public long nanoTime() {
        reads++;
        return nanos;
    }

    long reads() {
        return reads;
    }

    void advance(Duration duration) {
        nanos += duration.toNanos();
    }
}
