package io.meshd.lb.proxy;

import io.meshd.net.IoTransport;
import io.meshd.net.metrics.EnumCounters;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The UDP side of a proxy, on the listening channel: one session per client address and port, each a connected
 * socket to the client's backend, so the backend's replies come back through the session and leave from the
 * listening address to the client.
 *
 * <p>A session pins its client to the backend chosen when it opened and ends after {@code idleTimeout} without
 * traffic either way (30 s by default, as Katran's UDP entries): a later datagram from the same client makes a new
 * pick. Sessions are capped; past the cap, and past a short queue while a session's socket connects, datagrams are
 * dropped and counted. Runs on the listening channel's event loop only, so the session map needs no lock.
 */
final class UdpRelay extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final int UDP = 17;
    private static final int MAX_QUEUED = 64;

    private final IoTransport transport;
    private final BackendPool pool;
    private final EnumCounters<ProxyEvent> counters;
    private final Duration idleTimeout;
    private final int maxSessions;
    private final Map<InetSocketAddress, Session> sessions = new HashMap<>();

    UdpRelay(IoTransport transport, BackendPool pool, EnumCounters<ProxyEvent> counters, Duration idleTimeout,
        int maxSessions) {
        this.transport = transport;
        this.pool = pool;
        this.counters = counters;
        this.idleTimeout = idleTimeout;
        this.maxSessions = maxSessions;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress client = packet.sender();
        Session session = sessions.get(client);
        if (session == null) {
            Optional<ProxyBackend> backend = pool.pick(client, UDP);
            if (backend.isEmpty()) {
                counters.increment(ProxyEvent.NO_BACKEND);
                return;
            }
            if (sessions.size() >= maxSessions) {
                counters.increment(ProxyEvent.UDP_DROPPED);
                return;
            }
            session = open(ctx.channel(), client, backend.get());
        }
        session.send(packet.content().retain());
    }

    private Session open(Channel listener, InetSocketAddress client, ProxyBackend backend) {
        Session session = new Session();
        sessions.put(client, session);
        long idleMillis = idleTimeout.toMillis();
        new Bootstrap().group(listener.eventLoop()).channelFactory(transport::newDatagramChannel)
            .handler(new ChannelInboundHandlerAdapter() {
                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    ctx.pipeline().addBefore(ctx.name(), null,
                        new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf reply = msg instanceof DatagramPacket ? ((DatagramPacket) msg).content() : (ByteBuf) msg;
                    counters.increment(ProxyEvent.UDP_RETURNED);
                    listener.writeAndFlush(new DatagramPacket(reply, client));
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                    if (event instanceof IdleStateEvent) {
                        counters.increment(ProxyEvent.UDP_SESSION_EXPIRED);
                        ctx.close();
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    // ICMP port unreachable surfaces here on a connected socket: the session ends, the next
                    // datagram from the client opens a new one.
                    ctx.close();
                }
            })
            .connect(backend.address()).addListener(f -> {
                if (f.isSuccess()) {
                    counters.increment(ProxyEvent.BACKEND_CONNECTED);
                    session.connected(((ChannelFuture) f).channel());
                } else {
                    counters.increment(ProxyEvent.BACKEND_FAILED);
                    session.fail();
                    sessions.remove(client, session);
                }
            }).channel().closeFuture().addListener(f -> {
                sessions.remove(client, session);
                session.fail();
            });
        return session;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Session s : sessions.values()) {
            s.close();
        }
        sessions.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Never close the listening socket for one bad datagram or a transient send error.
    }

    /** One client's connected socket to its backend, with the datagrams that arrived before it connected. */
    private final class Session {
        private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
        private Channel channel;

        void send(ByteBuf datagram) {
            if (channel != null) {
                counters.increment(ProxyEvent.UDP_FORWARDED);
                channel.writeAndFlush(datagram);
            } else if (queued.size() < MAX_QUEUED) {
                queued.add(datagram);
            } else {
                counters.increment(ProxyEvent.UDP_DROPPED);
                datagram.release();
            }
        }

        void connected(Channel connected) {
            channel = connected;
            while (!queued.isEmpty()) {
                send(queued.poll());
            }
        }

        void fail() {
            counters.add(ProxyEvent.UDP_DROPPED, queued.size());
            while (!queued.isEmpty()) {
                queued.poll().release();
            }
        }

        void close() {
            fail();
            if (channel != null) {
                channel.close();
            }
        }
    }
}
