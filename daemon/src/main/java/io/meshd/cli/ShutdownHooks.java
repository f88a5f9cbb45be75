package io.meshd.cli;

/** The one place commands take back a shutdown hook they registered. */
final class ShutdownHooks {

    private ShutdownHooks() {
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
