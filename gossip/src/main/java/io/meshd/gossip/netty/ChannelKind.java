package io.meshd.gossip.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Optional;

/** The I/O mechanisms the gossip transport can run on; {@link #best()} picks io_uring, then epoll, then NIO. */
public enum ChannelKind {
    /** Linux io_uring. */
    IO_URING,
    /** Linux epoll. */
    EPOLL,
    /** Java NIO, available everywhere. */
    NIO;

    /** Whether this kind works here. */
    public boolean available() {
        switch (this) {
            case IO_URING:
                return IoUring.isAvailable();
            case EPOLL:
                return Epoll.isAvailable();
            default:
                return true;
        }
    }

    /** Why it does not work here, if it does not. */
    public Optional<Throwable> unavailabilityCause() {
        switch (this) {
            case IO_URING:
                return Optional.ofNullable(IoUring.unavailabilityCause());
            case EPOLL:
                return Optional.ofNullable(Epoll.unavailabilityCause());
            default:
                return Optional.empty();
        }
    }

    /** The fastest kind available. */
    public static ChannelKind best() {
        for (ChannelKind k : values()) {
            if (k.available()) {
                return k;
            }
        }
        return NIO;
    }

    IoHandlerFactory ioHandlerFactory() {
        switch (this) {
            case IO_URING:
                return IoUringIoHandler.newFactory();
            case EPOLL:
                return EpollIoHandler.newFactory();
            default:
                return NioIoHandler.newFactory();
        }
    }

    Class<? extends DatagramChannel> datagramChannel() {
        switch (this) {
            case IO_URING:
                return IoUringDatagramChannel.class;
            case EPOLL:
                return EpollDatagramChannel.class;
            default:
                return NioDatagramChannel.class;
        }
    }

    Class<? extends ServerChannel> serverChannel() {
        switch (this) {
            case IO_URING:
                return IoUringServerSocketChannel.class;
            case EPOLL:
                return EpollServerSocketChannel.class;
            default:
                return NioServerSocketChannel.class;
        }
    }

    Class<? extends SocketChannel> socketChannel() {
        switch (this) {
            case IO_URING:
                return IoUringSocketChannel.class;
            case EPOLL:
                return EpollSocketChannel.class;
            default:
                return NioSocketChannel.class;
        }
    }
}
