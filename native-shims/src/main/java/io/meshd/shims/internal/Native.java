package io.meshd.shims.internal;

import com.kenai.jffi.MemoryIO;
import java.nio.Buffer;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * Loads libc once and remembers why it could not be loaded instead of throwing from class initialisation.
 */
public final class Native {

    private static final LibC LIBC;
    private static final Runtime RUNTIME;
    private static final Throwable LOAD_FAILURE;

    static {
        LibC libc = null;
        Runtime runtime = null;
        Throwable failure = null;
        try {
            libc = LibraryLoader.create(LibC.class).map("ifNameToIndex", "if_nametoindex")
                .map("schedSetaffinity", "sched_setaffinity").map("schedGetcpu", "sched_getcpu")
                .failImmediately().load("c");
            runtime = Runtime.getRuntime(libc);
        } catch (Throwable t) {
            // Caught broadly on purpose: a missing jffi native stub surfaces as an Error, and it must be reported.
            failure = t;
        }
        LIBC = libc;
        RUNTIME = runtime;
        LOAD_FAILURE = failure;
    }

    private Native() {
    }

    /** Why libc could not be bound, or empty when it was. */
    public static Optional<Throwable> loadFailure() {
        return Optional.ofNullable(LOAD_FAILURE);
    }

    /** The bound libc; throws {@link IllegalStateException} carrying the load failure when there is none. */
    public static LibC libc() {
        if (LIBC == null) {
            throw new IllegalStateException("jnr-ffi could not bind libc", LOAD_FAILURE);
        }
        return LIBC;
    }

    /** The errno left by the last call on this thread. */
    public static int errno() {
        return RUNTIME.getLastError();
    }

    /** The C library's text for an errno value. */
    public static String strerror(int errno) {
        return libc().strerror(errno);
    }

    /** The base address of a direct buffer (its position is not included). */
    public static long address(Buffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("buffer must be direct");
        }
        return MemoryIO.getInstance().getDirectBufferAddress(direct);
    }
}
