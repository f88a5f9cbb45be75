package io.meshd.shims;

import static io.meshd.shims.internal.LinuxConstants.CLONE_NEWNET;
import static io.meshd.shims.internal.LinuxConstants.O_CLOEXEC;
import static io.meshd.shims.internal.LinuxConstants.O_RDONLY;

import io.meshd.shims.internal.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open handle on a network namespace, and threads that live inside it.
 *
 * <p>Linux keeps the network namespace per thread: a socket or TAP belongs to the namespace of the thread that
 * created it, and keeps that membership for its whole life. So code that must create sockets "in" a namespace
 * runs on a thread that has called {@code setns(fd, CLONE_NEWNET)}: {@link #call(Callable)} for one-off work on
 * this handle's own worker thread, or {@link #threadFactory()} for event loops. The calling thread's namespace
 * never changes.
 */
public final class NetNs implements AutoCloseable {

    private final Path path;
    private final int fd;
    private final long inode;
    private final AtomicInteger threadCount = new AtomicInteger();
    private boolean closed;
    private ExecutorService worker;
    private volatile Thread workerThread;

    private NetNs(Path path, int fd, long inode) {
        this.path = path;
        this.fd = fd;
        this.inode = inode;
    }

    /** The namespace {@code ip netns add NAME} made, bound at {@code /var/run/netns/NAME}. */
    public static NetNs named(String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("bad namespace name: " + name);
        }
        return path(Path.of("/var/run/netns", name));
    }

    /**
     * The namespace {@code nameOrPath} names: an absolute path as {@link #path}, anything else as {@link #named}.
     */
    public static NetNs of(String nameOrPath) {
        return nameOrPath.startsWith("/") ? path(Path.of(nameOrPath)) : named(nameOrPath);
    }

    /** The namespace at a path: a bind mount, or {@code /proc/PID/ns/net}. */
    public static NetNs path(Path path) {
        int fd = Native.libc().open(path.toString(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw NativeException.lastError("open(" + path + ")");
        }
        try {
            return new NetNs(path, fd, inodeOf(Path.of("/proc/self/fd/" + fd)));
        } catch (RuntimeException e) {
            Native.libc().close(fd);
            throw e;
        }
    }

    /** The namespace of the calling thread ({@code /proc/thread-self/ns/net}). */
    public static NetNs current() {
        return path(Path.of("/proc/thread-self/ns/net"));
    }

    /** Where the namespace was opened from. */
    public Path path() {
        return path;
    }

    /** The open descriptor, e.g. for {@link InterfaceConfig#moveToNamespace(String, NetNs)}. */
    public int fd() {
        return fd;
    }

    /** The namespace's inode number: two handles with the same inode are the same namespace. */
    public long inode() {
        return inode;
    }

    /** Whether this is the namespace the calling thread is in now. */
    public boolean isCurrent() {
        return inode == inodeOf(Path.of("/proc/thread-self/ns/net"));
    }

    /** The inode of the namespace file a path leads to (symbolic links followed). */
    private static long inodeOf(Path path) {
        try {
            return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Moves the calling thread into this namespace for the rest of its life. Prefer {@link #call(Callable)} or
     * {@link #threadFactory()}, which never move a thread they do not own.
     */
    public void enter() {
        if (Native.libc().setns(fd, CLONE_NEWNET) != 0) {
            throw NativeException.lastError("setns(" + path + ", CLONE_NEWNET)");
        }
    }

    /**
     * Runs the task on this handle's worker thread, which lives inside the namespace, and returns its result.
     * Calls are serialised; a call made from the worker itself runs inline.
     *
     * @throws CompletionException wrapping a checked exception the task threw; unchecked ones pass unchanged
     */
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == workerThread) {
            return invoke(task);
        }
        Future<T> future = worker().submit(task);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted waiting for a task in " + path, e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** Runs the action on the worker thread inside the namespace, like {@link #call(Callable)}. */
    public void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /**
     * A factory of daemon threads that enter this namespace before running their task, for Netty event loops
     * whose channels must be created inside the namespace. The handle must stay open while threads start.
     */
    public ThreadFactory threadFactory() {
        return task -> {
            Thread thread = new Thread(() -> {
                enter();
                task.run();
            }, "netns-" + path.getFileName() + "-" + threadCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops the worker thread and closes the descriptor; the namespace itself lives on. Idempotent. */
    @Override
    public synchronized void close() {
        if (worker != null) {
            worker.shutdownNow();
            worker = null;
        }
        if (!closed) {
            closed = true;
            Native.libc().close(fd);
        }
    }

    private synchronized ExecutorService worker() {
        if (closed) {
            throw new IllegalStateException("namespace handle " + path + " is closed");
        }
        if (worker == null) {
            ThreadFactory inside = threadFactory();
            worker = Executors.newSingleThreadExecutor(task -> {
                Thread thread = inside.newThread(task);
                workerThread = thread;
                return thread;
            });
        }
        return worker;
    }

    private static <T> T invoke(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    private static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new CompletionException(cause);
    }

    @Override
    public String toString() {
        return "NetNs[" + path + ", inode " + inode + "]";
    }
}
