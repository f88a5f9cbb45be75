package io.meshd.harness;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in a test, with a bound derived by the caller, instead of sleeping a fixed time. */
public final class Await {
    /** How often the condition is tried again. */
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param what what is awaited, for the failure's message
     * @param within the bound
     * @throws AssertionError naming {@code what} and the bound when the condition does not hold within it
     * @throws InterruptedException if interrupted while waiting
     */
    public static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
