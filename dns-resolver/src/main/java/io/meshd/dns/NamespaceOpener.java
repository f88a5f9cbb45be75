package io.meshd.dns;

import io.meshd.shims.InterfaceConfig;
import io.meshd.shims.NetNs;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * One thread that creates sockets inside other network namespaces: for each task it enters the namespace
 * ({@code setns}), runs the task and returns to the namespace it started in. Sockets keep the namespace they were
 * created in, so the event loops that serve them never leave theirs. Entering a network namespace is allowed in a
 * multi-threaded process (unlike a mount or user namespace) and affects the calling thread only.
 */
final class NamespaceOpener implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "meshd-dns-netns");
        t.setDaemon(true);
        return t;
    });
    private NetNs home;

    /** An executor whose tasks run on the opener thread while it is inside {@code ns}. */
    Executor in(NetNs ns) {
        return task -> run(ns, () -> {
            task.run();
            return null;
        });
    }

    /** Brings {@code lo} up inside {@code ns} (127.0.0.11 lives on it); a no-op when it is up already. */
    void loopbackUp(NetNs ns) {
        run(ns, () -> {
            InterfaceConfig.up("lo");
            return null;
        });
    }

    private <T> T run(NetNs ns, Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                if (home == null) {
                    home = NetNs.current();
                }
                ns.enter();
                try {
                    return task.get();
                } finally {
                    home.enter();
                }
            }, thread).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        thread.execute(() -> {
            if (home != null) {
                home.close();
            }
        });
        thread.shutdown();
    }
}
