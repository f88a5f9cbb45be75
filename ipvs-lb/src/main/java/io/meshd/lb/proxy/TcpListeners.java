package io.meshd.lb.proxy;

import io.meshd.net.IoTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.EventExecutor;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the listening sockets of a TCP proxy.
 *
 * <p>Where the transport can share a port ({@code SO_REUSEPORT}: epoll, io_uring) and there are several event loops,
 * each loop gets its own listening socket on the one port, registered on that loop and serving the connections it
 * accepts there (the loop is both its parent and child group). The kernel spreads new connections over the sockets
 * by their addresses, so a connection, and the connection to its backend that {@link TcpFrontend} opens on the
 * client's loop, live on the thread that accepted it: no hand-over to another loop and no wake-up of another thread
 * per connection. A listener that closes takes only its own not-yet-accepted connections with it; the kernel sends
 * new ones to the others. Elsewhere (NIO, or one loop) one socket accepts and its connections are dealt to the loops
 * in turn.
 *
 * <p>Every socket is created on the calling thread, so in the calling thread's network namespace (see
 * {@link L4Proxy}).
 */
final class TcpListeners {
    private TcpListeners() {
    }

    /**
     * Binds the listeners.
     *
     * @param group the proxy's event loops
     * @param transport the resolved transport
     * @param listen where to listen (port 0: the first listener's port, which the others then share)
     * @param frontend the first handler of each accepted connection
     * @return the bound listeners, one per loop or one
     * @throws InterruptedException if interrupted while binding (those already bound are closed)
     */
    static List<Channel> bind(EventLoopGroup group, IoTransport transport, InetSocketAddress listen,
        ChannelHandler frontend) throws InterruptedException {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
        }
        if (!transport.reusesPort() || loops.size() == 1) {
            return List.of(bootstrap(group, transport, listen, frontend).bind(listen).sync().channel());
        }
        List<Channel> bound = new ArrayList<>(loops.size());
        try {
            InetSocketAddress at = listen;
            for (EventLoop loop : loops) {
                Channel listener = bootstrap(loop, transport, listen, frontend)
                    .option(UnixChannelOption.SO_REUSEPORT, true).bind(at).sync().channel();
                bound.add(listener);
                int port = ((InetSocketAddress) listener.localAddress()).getPort();
                at = new InetSocketAddress(listen.getAddress(), port);
            }
        } catch (InterruptedException | RuntimeException e) {
            for (Channel c : bound) {
                c.close().syncUninterruptibly();
            }
            throw e;
        }
        return List.copyOf(bound);
    }

    /** The socket family for an address: IPv4 sockets for IPv4 addresses, else IPv6. */
    static SocketProtocolFamily family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    }

    /**
     * Accepted connections are not read until their backend is connected ({@link TcpFrontend}) and pass half-closes
     * on ({@link TcpRelay}); {@code TCP_NODELAY} is Netty's default for every TCP channel already. An IPv4 address gets
     * an IPv4 socket (not an IPv6 one carrying mapped addresses: fewer system calls, a shorter path in the kernel).
     */
    private static ServerBootstrap bootstrap(EventLoopGroup loops, IoTransport transport, InetSocketAddress listen,
        ChannelHandler frontend) {
        SocketProtocolFamily family = family(listen);
        return new ServerBootstrap().group(loops).channelFactory(() -> transport.newServerChannel(family))
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(frontend);
    }
}
