package io.meshd.gossip.internal;

import io.meshd.gossip.internal.Message.Suspect;
import io.meshd.gossip.spi.Scheduler.Cancellable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One Lifeguard {@link Suspicion} timer per suspect member. A timer shrinks with every independent confirmation and,
 * when it runs out, hands the member to the expiry callback (which declares it dead if it is still suspect).
 */
final class SuspicionTimers {

    private final ProtocolContext ctx;
    private final Consumer<String> onExpiry;
    private final Map<String, Timer> timers = new HashMap<>();

    private static final class Timer {
        final Suspicion suspicion;
        Cancellable pending;

        Timer(Suspicion suspicion) {
            this.suspicion = suspicion;
        }
    }

    SuspicionTimers(ProtocolContext ctx, Consumer<String> onExpiry) {
        this.ctx = ctx;
        this.onExpiry = onExpiry;
    }

    /** Starts a fresh timer for {@code s} (replacing any), sized for {@code liveCount} live members. */
    void start(Suspect s, int liveCount) {
        int k = ctx.cfg().suspicionMult() - 2;
        // Too few members to expect independent confirmations: go straight to the minimum timeout.
        if (liveCount - 2 < k) {
            k = 0;
        }
        long min = Suspicion.minTimeoutNanos(ctx.cfg().suspicionMult(), liveCount,
            ProtocolContext.nanos(ctx.cfg().probeInterval()));
        long max = ctx.cfg().suspicionMaxTimeoutMult() * min;
        Timer t = new Timer(new Suspicion(ctx.now(), min, max, k, s.from()));
        cancel(s.node());
        timers.put(s.node(), t);
        arm(s.node(), t);
    }

    /** Counts {@code s} as a confirmation; true if it was a new, independent one (the timer was shortened). */
    boolean confirm(Suspect s) {
        Timer t = timers.get(s.node());
        if (t != null && t.suspicion.confirm(s.from())) {
            t.pending.cancel();
            arm(s.node(), t);
            return true;
        }
        return false;
    }

    /** Calls off the timer of {@code node}, if any. */
    void cancel(String node) {
        Timer t = timers.remove(node);
        if (t != null) {
            t.pending.cancel();
        }
    }

    /** Calls off every timer. */
    void clear() {
        for (Timer t : timers.values()) {
            t.pending.cancel();
        }
        timers.clear();
    }

    private void arm(String node, Timer t) {
        t.pending = ctx.scheduler().schedule(t.suspicion.remainingNanos(ctx.now()), () -> {
            if (timers.get(node) == t) {
                timers.remove(node);
                onExpiry.accept(node);
            }
        });
    }
}
