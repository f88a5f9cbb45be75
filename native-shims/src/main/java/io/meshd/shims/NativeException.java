package io.meshd.shims;

import io.meshd.shims.internal.Native;

/**
 * A system call failed. The message names the call and the kernel's reason, for example
 * {@code ioctl(TUNSETIFF) on /dev/net/tun: Operation not permitted (errno 1)}.
 */
public final class NativeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * A failure of {@code call} with the given errno.
     *
     * @param call what was called and on what, e.g. {@code "open(/dev/net/tun)"}
     * @param errno the positive errno value
     */
    public NativeException(String call, int errno) {
        super(call + ": " + describe(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    /** A failure of {@code call} with the errno the last native call left on this thread. */
    static NativeException lastError(String call) {
        return new NativeException(call, Native.errno());
    }

    /** The errno value, e.g. 1 for EPERM. */
    public int errno() {
        return errno;
    }

    private static String describe(int errno) {
        try {
            return Native.strerror(errno);
        } catch (RuntimeException e) {
            return "error " + errno;
        }
    }
}
