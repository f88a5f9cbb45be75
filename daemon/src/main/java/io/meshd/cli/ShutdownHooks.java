package io.meshd.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** How long-running commands stop: on SIGTERM or Ctrl-C, or after a time limit given for scripts and tests. */
final class ShutdownHooks {

    private ShutdownHooks() {
    }

    /**
     * Blocks until the JVM is told to stop, or until {@code exitAfterSeconds} pass (when positive), and makes sure
     * {@code stop} runs exactly once either way. On a signal the JVM halts once its hooks are done, so the hook
     * itself runs {@code stop}.
     *
     * @param name the hook thread's name
     * @param stop what stops the command's services and reports
     * @param exitAfterSeconds a time limit, or 0 or less to run until a signal
     * @throws InterruptedException if the waiting thread is interrupted
     */
    static void runUntilStopped(String name, Runnable stop, long exitAfterSeconds) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
        if (exitAfterSeconds <= 0) {
            stopped.await();
        } else if (!stopped.await(exitAfterSeconds, TimeUnit.SECONDS)) {
            if (remove(hook)) {
                stop.run();
            } else {
                // A signal arrived as the time ran out: the hook stops the command; stopping twice would not do.
                stopped.await();
            }
        }
    }

    /**
     * Removes {@code hook} unless the JVM is already shutting down.
     *
     * @return true if removed (the caller must stop by itself); false if a signal is already running the hook
     */
    static boolean remove(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting because of a signal: the hook is running or about to, and it does the stopping.
            return false;
        }
    }
}
