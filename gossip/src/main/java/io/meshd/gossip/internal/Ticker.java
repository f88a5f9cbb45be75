package io.meshd.gossip.internal;

import io.meshd.gossip.spi.Scheduler;
import io.meshd.gossip.spi.Scheduler.Cancellable;
import java.util.HashMap;
import java.util.Map;

/**
 * The member's lifecycle and its periodic tasks (probe, gossip, push-pull, reconnect, reap). Each task reschedules
 * itself through {@link #every} when it runs, so its next delay can follow the current health score or cluster
 * size; after {@link #stop()} nothing is scheduled again.
 */
final class Ticker {

    private final Scheduler scheduler;
    private final Map<String, Cancellable> ticks = new HashMap<>();
    private boolean running;

    Ticker(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void start() {
        running = true;
    }

    /** True between {@link #start()} and {@link #stop()}. */
    boolean running() {
        return running;
    }

    /** (Re)schedules the periodic task {@code name} to run once after {@code delayNanos}, unless stopped. */
    void every(String name, long delayNanos, Runnable task) {
        if (running) {
            ticks.put(name, scheduler.schedule(delayNanos, task));
        }
    }

    /** Cancels every task; later {@link #every} calls do nothing. */
    void stop() {
        running = false;
        for (Cancellable c : ticks.values()) {
            c.cancel();
        }
        ticks.clear();
    }
}
