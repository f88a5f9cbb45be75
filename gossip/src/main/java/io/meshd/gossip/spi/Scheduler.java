package io.meshd.gossip.spi;

/**
 * The one thread (real event loop or simulated virtual time) that owns all protocol state. Every task runs on it,
 * so the protocol needs no locks; other threads hand work over with {@link #execute(Runnable)}.
 */
public interface Scheduler {

    /** Monotonic time in nanoseconds (virtual in the simulator). */
    long nanoTime();

    /** Runs {@code task} on the protocol thread after {@code delayNanos}. */
    Cancellable schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on the protocol thread as soon as possible. */
    void execute(Runnable task);

    /** True if the caller already runs on the protocol thread. */
    boolean inLoop();

    /** A scheduled task that can be called off. */
    interface Cancellable {
        /** Calls the task off; a no-op if it already ran. */
        void cancel();
    }
}
