package io.meshd.gossip.internal;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.spi.Scheduler;
import java.net.InetSocketAddress;
import java.util.Random;

/**
 * What every part of one member's protocol shares and none of them owns: configuration, the protocol thread, the
 * source of random choices, the lifecycle, the counters and the wire. All of it is safe to hand around; mutable
 * protocol state stays inside the part that owns it.
 */
record ProtocolContext(GossipConfig cfg, Scheduler scheduler, Random random, Ticker ticker, GossipMetrics metrics,
                       Wire wire) {

    /** This member's name. */
    String self() {
        return cfg.name();
    }

    /** The address other members reach this one at. */
    InetSocketAddress selfAddress() {
        return wire.localAddress();
    }

    /** The protocol clock. */
    long now() {
        return scheduler.nanoTime();
    }

    /** {@code d} in nanoseconds. */
    static long nanos(java.time.Duration d) {
        return d.toNanos();
    }
}
