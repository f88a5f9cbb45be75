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

    static String label(String v) {
        if (v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("label longer than 255 bytes");
        }
        return v;
    }

    /** The checks that span several settings, made when the configuration is built. */
    static void checkBuild(String name, Duration probeTimeout, Duration probeInterval) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must be set");
        }
        if (probeTimeout.compareTo(probeInterval) >= 0) {
            throw new IllegalArgumentException("probe timeout must be shorter than the probe interval");
        }
    }
}
