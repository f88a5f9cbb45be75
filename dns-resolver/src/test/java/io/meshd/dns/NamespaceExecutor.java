package io.meshd.dns;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jnr.ffi.LibraryLoader;

/**
 * Test support until the shims' NetNs is merged: a single thread that has entered a named network namespace
 * ({@code setns} on {@code /var/run/netns/NAME}), so sockets created on it live in that namespace.
 */
final class NamespaceExecutor {

    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    /** The libc calls we need. */
    public interface LibC {
        /** open(2). */
        int open(String path, int flags);

        /** setns(2). */
        int setns(int fd, int nstype);

        /** close(2). */
        int close(int fd);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private NamespaceExecutor() {
    }

    /** A one-thread executor inside {@code /var/run/netns/<name>}; shut it down when done. */
    static ExecutorService in(String name) {
        return Executors.newSingleThreadExecutor(task -> new Thread(() -> {
            int fd = LIBC.open("/var/run/netns/" + name, O_RDONLY);
            if (fd < 0 || LIBC.setns(fd, CLONE_NEWNET) != 0) {
                throw new IllegalStateException("cannot enter network namespace " + name);
            }
            LIBC.close(fd);
            task.run();
        }, "netns-" + name));
    }
}
