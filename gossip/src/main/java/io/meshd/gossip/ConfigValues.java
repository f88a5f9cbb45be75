package io.meshd.gossip;

import java.time.Duration;

/** Range checks for configuration values: a bad value fails when it is set, naming the rule it broke. */
final class ConfigValues {

    private ConfigValues() {
    }

    static Duration positive(Duration v) {
        if (v.isNegative() || v.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + v);
        }
        return v;
    }

    static int atLeast(int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException("must be at least " + min + ": " + v);
        }
        return v;
    }
}
