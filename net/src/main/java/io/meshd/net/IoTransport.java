package io.meshd.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Locale;
import java.util.Optional;

/**
 * The Netty transport a component runs on, chosen at start.
 *
 * <p>{@link #AUTO} resolves to the best one this machine offers, in this order: <b>epoll</b> first, because it
 * alone batches UDP receives with {@code recvmmsg} and {@code UDP_GRO} (the VTEP's and the DNS responder's hot
 * paths read several datagrams per system call), then <b>io_uring</b> (native, {@code SO_REUSEPORT}, but one
 * datagram per read in Netty 4.2), then <b>Java NIO</b>, which runs everywhere. The concrete values are the ones
 * a user may force, e.g. to compare transports or to work around a kernel that disables io_uring.
 *
 * <p>Asking for a native transport that cannot run here fails in {@link #resolve()} with Netty's own cause;
 * nothing is thrown from class initialisation ({@link Epoll} and {@link IoUring} only report).
 */
public enum IoTransport {
    /** The best available: epoll, else io_uring, else NIO. */
    AUTO("auto"),
    /** Linux io_uring (kernel 5.14 or later with io_uring enabled). */
    IO_URING("io_uring"),
    /** Linux epoll with recvmmsg and UDP GRO. */
    EPOLL("epoll"),
    /** Java NIO, available everywhere. */
    NIO("nio");

    /** The accepted command-line names, for help texts and shell completion. */
    public static final String CLI_NAMES = "auto, io_uring, epoll, nio";

    private final String cliName;

    IoTransport(String cliName) {
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
    public static IoTransport parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (IoTransport t : values()) {
            if (t.cliName.equals(wanted)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "' (expected one of " + CLI_NAMES + ")");
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
     * The concrete transport to use: the best available for {@link #AUTO} (see the class comment for the order),
     * else this one.
     *
     * @throws IllegalStateException when this transport is not available here, with Netty's cause
     */
    public IoTransport resolve() {
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

    /** Whether several sockets can share one port ({@code SO_REUSEPORT}), e.g. one UDP socket per event loop. */
    public boolean reusesPort() {
        IoTransport t = concrete();
        return t == EPOLL || t == IO_URING;
    }

    /** The event loop's I/O handler for this (resolved) transport. */
    public IoHandlerFactory ioHandlerFactory() {
        switch (concrete()) {
            case IO_URING:
                return IoUringIoHandler.newFactory();
            case EPOLL:
                return EpollIoHandler.newFactory();
            default:
                return NioIoHandler.newFactory();
        }
    }

    /** A new, unregistered UDP channel; its socket is created now, in the calling thread's network namespace. */
    public DatagramChannel newDatagramChannel() {
        switch (concrete()) {
            case IO_URING:
                return new IoUringDatagramChannel();
            case EPOLL:
                return new EpollDatagramChannel();
            default:
                return new NioDatagramChannel();
        }
    }

    /**
     * A new, unregistered UDP channel for {@code family} (an IPv4-only socket for {@link SocketProtocolFamily#INET},
     * cheaper in the kernel than an IPv6 socket carrying IPv4-mapped addresses); its socket is created now, in the
     * calling thread's network namespace.
     */
    public DatagramChannel newDatagramChannel(SocketProtocolFamily family) {
        switch (concrete()) {
            case IO_URING:
                return new IoUringDatagramChannel(family);
            case EPOLL:
                return new EpollDatagramChannel(family);
            default:
                return new NioDatagramChannel(family);
        }
    }

    /** A new, unregistered TCP client channel, its socket created in the calling thread's network namespace. */
    public SocketChannel newSocketChannel() {
        switch (concrete()) {
            case IO_URING:
                return new IoUringSocketChannel();
            case EPOLL:
                return new EpollSocketChannel();
            default:
                return new NioSocketChannel();
        }
    }

    /**
     * A new, unregistered TCP client channel for {@code family} (an IPv4 socket for {@link SocketProtocolFamily#INET},
     * cheaper than an IPv6 socket carrying IPv4-mapped addresses; io_uring opens its default socket), its socket
     * created in the calling thread's network namespace.
     */
    public SocketChannel newSocketChannel(SocketProtocolFamily family) {
        switch (concrete()) {
            case IO_URING:
                return new IoUringSocketChannel();
            case EPOLL:
                return new EpollSocketChannel(family);
            default:
                return new NioSocketChannel(SelectorProvider.provider(), family);
        }
    }

    /**
     * A new, unregistered TCP server channel for {@code family} (see {@link #newSocketChannel(SocketProtocolFamily)}),
     * its socket created in the calling thread's network namespace.
     */
    public ServerSocketChannel newServerChannel(SocketProtocolFamily family) {
        switch (concrete()) {
            case IO_URING:
                return new IoUringServerSocketChannel();
            case EPOLL:
                return new EpollServerSocketChannel(family);
            default:
                return new NioServerSocketChannel(SelectorProvider.provider(), family);
        }
    }

    /** A new, unregistered TCP server channel, its socket created in the calling thread's network namespace. */
    public ServerSocketChannel newServerChannel() {
        switch (concrete()) {
            case IO_URING:
                return new IoUringServerSocketChannel();
            case EPOLL:
                return new EpollServerSocketChannel();
            default:
                return new NioServerSocketChannel();
        }
    }

    /** Channels and handlers exist only for concrete transports: {@link #AUTO} must be resolved first. */
    private IoTransport concrete() {
        if (this == AUTO) {
            throw new IllegalStateException("resolve() the AUTO transport before opening channels");
        }
        return this;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
