package io.meshd.shims;

import io.meshd.shims.internal.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the native shims can work in this process, reported rather than thrown (like Netty's {@code Epoll}):
 * libc must bind through jnr-ffi, the process must run as root and {@code /dev/net/tun} must exist.
 */
public final class NativeShims {

    private static final Throwable UNAVAILABILITY_CAUSE = probe();

    private NativeShims() {
    }

    /** True when TAP devices, namespaces and interface configuration can be used. */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /** Why the shims cannot work here, or empty when they can. */
    public static Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(UNAVAILABILITY_CAUSE);
    }

    /** Throws the unavailability cause wrapped in an {@link IllegalStateException} when the shims cannot work. */
    public static void ensureAvailability() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw new IllegalStateException("native shims unavailable: " + UNAVAILABILITY_CAUSE.getMessage(),
                UNAVAILABILITY_CAUSE);
        }
    }

    private static Throwable probe() {
        try {
            Optional<Throwable> loadFailure = Native.loadFailure();
            if (loadFailure.isPresent()) {
                return loadFailure.get();
            }
            if (Native.libc().geteuid() != 0) {
                return new UnsupportedOperationException("not running as root (TAP devices and setns need it)");
            }
            if (!Files.exists(Path.of("/dev/net/tun"))) {
                return new UnsupportedOperationException("no /dev/net/tun (tun module not loaded?)");
            }
            return null;
        } catch (Throwable t) {
            // Anything at all goes into the report: class initialisation must never throw.
            return t;
        }
    }
}
