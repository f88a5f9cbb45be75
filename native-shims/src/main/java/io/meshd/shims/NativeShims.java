package io.meshd.shims;

import io.meshd.shims.internal.Native;
import java.util.Optional;

/**
 * Whether the native shims can work in this process, reported rather than thrown (like Netty's {@code Epoll}):
 * libc must bind through jnr-ffi, and the host must offer what {@link HostRequirements#missingForTap()} checks
 * (Linux, root, {@code /dev/net/tun}).
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
            return HostRequirements.missingForTap().map(UnsupportedOperationException::new).orElse(null);
        } catch (Throwable t) {
            // Anything at all goes into the report: class initialisation must never throw.
            return t;
        }
    }
}
