package io.meshd.vxlan.vtep;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.util.Locale;
import java.util.Optional;

/**
 * The Netty transport a VTEP runs on, chosen at start. {@link #AUTO} picks the best one this machine offers:
 * epoll first (it batches receives with {@code recvmmsg} and {@code UDP_GRO}), then io_uring, then Java NIO.
 */
public enum Transport {
    /** The best available: epoll, else io_uring, else NIO. */
    AUTO("auto"),
    /** Linux io_uring (kernel 5.14 or later with io_uring enabled). */
    IO_URING("io_uring"),
    /** Linux epoll with recvmmsg and UDP GRO. */
    EPOLL("epoll"),
    /** Java NIO, available everywhere. */
    NIO("nio");

    private final String cliName;

    Transport(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in configuration ({@code auto}, {@code io_uring}, ...). */
    public String cliName() {
        return cliName;
    }

    /**
     * Parses a command-line name, case-insensitively; {@code io-uring} is accepted for {@code io_uring}.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Transport parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Transport t : values()) {
            if (t.cliName.equals(wanted)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "' (expected auto, io_uring, epoll or nio)");
    }

    /** Whether this transport can run here; {@link #AUTO} and {@link #NIO} always can. */
    public boolean isAvailable() {
        return unavailabilityCause().isEmpty();
    }

    /** Why this transport cannot run here, or empty when it can. */
    public Optional<Throwable> unavailabilityCause() {
        switch (this) {
            case IO_URING:
                return IoUring.isAvailable() ? Optional.empty() : Optional.of(IoUring.unavailabilityCause());
            case EPOLL:
                return Epoll.isAvailable() ? Optional.empty() : Optional.of(Epoll.unavailabilityCause());
            default:
                return Optional.empty();
        }
    }

    /**
     * The concrete transport to use: the best available for {@link #AUTO}, else this one.
     *
     * @throws IllegalStateException when this transport is not available here, with the cause
     */
    public Transport resolve() {
        if (this == AUTO) {
            if (EPOLL.isAvailable()) {
                return EPOLL;
            }
            return IO_URING.isAvailable() ? IO_URING : NIO;
        }
        Optional<Throwable> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new IllegalStateException("transport " + cliName + " is not available here: " + cause.get(),
                cause.get());
        }
        return this;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
