package io.meshd.dns;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket implementation the responder runs on. Epoll (with SO_REUSEPORT: one UDP socket per event loop) where
 * available, Java NIO everywhere else.
 */
public enum Transport {
    /** Linux epoll through Netty's native transport. */
    EPOLL,
    /** Java NIO. */
    NIO;

    /** The best transport this machine offers. */
    public static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** Whether this transport can run here. */
    public boolean isAvailable() {
        return this == NIO || Epoll.isAvailable();
    }

    /** Whether several UDP sockets can share a port, one per event loop. */
    public boolean reusesPort() {
        return this == EPOLL;
    }

    /** The event loop's I/O handler. */
    public IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** A new, unregistered UDP channel (its socket is created now, in the calling thread's namespace). */
    public Channel newDatagramChannel() {
        return this == EPOLL ? new EpollDatagramChannel() : new NioDatagramChannel();
    }

    /** A new, unregistered TCP client channel. */
    public Channel newSocketChannel() {
        return this == EPOLL ? new EpollSocketChannel() : new NioSocketChannel();
    }

    /** A new, unregistered TCP server channel. */
    public io.netty.channel.ServerChannel newServerChannel() {
        return this == EPOLL ? new EpollServerSocketChannel() : new NioServerSocketChannel();
    }
}
