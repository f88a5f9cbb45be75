package io.meshd.gossip.netty;

import io.meshd.gossip.spi.PeerChannel;
import io.meshd.gossip.spi.Scheduler;
import io.meshd.net.SamePortBinding;
import io.meshd.net.IoTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gossip over the real network: UDP for packets and TCP on the same port for request/response streams, each stream
 * framed as {@code | length (4) | body |} and limited in size. One Netty event loop runs both sockets and is also
 * the protocol thread ({@link #scheduler()}), so every callback already runs where the protocol state lives.
 */
public final class NettyPeerChannel implements PeerChannel {

    private static final Logger LOG = LoggerFactory.getLogger(NettyPeerChannel.class);

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final EventLoopScheduler scheduler;
    private final IoTransport kind;
    private final int maxStreamBytes;
    private final long streamIdleNanos;
    private final Channel udp;
    private final Channel tcp;
    private final InetSocketAddress advertised;
    private final AtomicLong streamErrors = new AtomicLong();
    private final ChannelGroup open;
    private volatile Receiver receiver;

    private NettyPeerChannel(Builder b) {
        this.kind = b.kind;
        this.maxStreamBytes = b.maxStreamBytes;
        this.streamIdleNanos = b.streamIdleNanos;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meshd-gossip", true),
            kind.ioHandlerFactory());
        this.loop = group.next();
        this.open = new DefaultChannelGroup("gossip", loop);
        this.scheduler = new EventLoopScheduler(loop);
        Channel[] bound = bind(b.bind);
        this.udp = bound[0];
        this.tcp = bound[1];
        InetSocketAddress local = (InetSocketAddress) udp.localAddress();
        InetAddress ip = b.advertise != null ? b.advertise : local.getAddress();
        if (ip.isAnyLocalAddress()) {
            close();
            throw new IllegalArgumentException("bound to a wildcard address: an advertise address is required");
        }
        this.advertised = new InetSocketAddress(ip, local.getPort());
    }

    /** A builder; the bind address is required. */
    public static Builder builder() {
        return new Builder();
    }

    private Channel[] bind(InetSocketAddress want) {
        // A packet handler per attempt: it is not sharable, and a retry binds a new channel.
        Bootstrap udp = new Bootstrap().group(loop)
            .channelFactory((ChannelFactory<DatagramChannel>) kind::newDatagramChannel);
        ServerBootstrap tcp = new ServerBootstrap().group(loop, loop)
            .channelFactory((ChannelFactory<ServerSocketChannel>) kind::newServerChannel)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    open.add(ch);
                    ch.pipeline().addLast(frameDecoder(), new StreamServerHandler());
                }
            });
        try {
            SamePortBinding.Bound<Channel, Channel> bound = SamePortBinding.bind(want,
                at -> udp.clone().handler(new PacketHandler()).bind(at).sync().channel(),
                u -> new InetSocketAddress(want.getAddress(), ((InetSocketAddress) u.localAddress()).getPort()),
                at -> tcp.bind(at).sync().channel(),
                u -> u.close().sync());
            open.add(bound.udp());
            open.add(bound.tcp());
            return new Channel[] {bound.udp(), bound.tcp()};
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot bind gossip UDP and TCP on " + want, e);
        }
    }

    private LengthFieldBasedFrameDecoder frameDecoder() {
        return new LengthFieldBasedFrameDecoder(maxStreamBytes + 4, 0, 4, 0, 4);
    }

    /** The protocol thread: the event loop of this channel's sockets. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The I/O mechanism in use (resolved: never {@link IoTransport#AUTO}). */
    public IoTransport kind() {
        return kind;
    }

    /** Streams that failed (refused, reset, oversized, timed out), on either side. */
    public long streamErrors() {
        return streamErrors.get();
    }

    @Override
    public InetSocketAddress localAddress() {
        return advertised;
    }

    @Override
    public void start(Receiver r) {
        this.receiver = Objects.requireNonNull(r);
    }

    @Override
    public void sendPacket(InetSocketAddress to, byte[] packet) {
        udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet), to), udp.voidPromise());
    }

    private static ByteBuf framed(byte[] body) {
        ByteBuf b = Unpooled.buffer(4 + body.length);
        b.writeInt(body.length);
        b.writeBytes(body);
        return b;
    }

    @Override
    public void request(InetSocketAddress to, byte[] request, long timeoutNanos, ResponseHandler handler) {
        StreamClientHandler client = new StreamClientHandler(request, handler);
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        new Bootstrap().group(loop).channelFactory((ChannelFactory<SocketChannel>) kind::newSocketChannel)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, millis))
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    open.add(ch);
                    ch.pipeline().addLast(frameDecoder(), client);
                }
            })
            .connect(to).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    client.fail("connect: " + f.cause().getClass().getSimpleName());
                }
            });
        loop.schedule(() -> client.fail("timeout"), millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        receiver = null;
        // Close every socket first (listeners, accepted and outgoing streams), then stop the loop.
        open.close().addListener(f -> group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS));
    }

    /** Waits until the event loop has stopped (for tests and the agent's exit). */
    public void awaitClosed() {
        group.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Receives UDP packets. */
    private final class PacketHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            Receiver r = receiver;
            if (r != null) {
                r.onPacket(p.sender(), ByteBufUtil.getBytes(p.content()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP errors and the like: the protocol treats them as loss.
            LOG.debug("gossip UDP error", cause);
        }
    }

    /** Answers one stream request, then closes; idle or oversized streams are cut. */
    private final class StreamServerHandler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> {
                ctx.close();
            }, streamIdleNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            Receiver r = receiver;
            byte[] response = r == null ? new byte[0]
                : r.onRequest((InetSocketAddress) ctx.channel().remoteAddress(), ByteBufUtil.getBytes(frame));
            if (response.length == 0) {
                ctx.close();
            } else {
                ctx.writeAndFlush(framed(response)).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            streamErrors.incrementAndGet();
            LOG.debug("gossip stream error from {}", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    /** Sends one request and delivers exactly one outcome. */
    private final class StreamClientHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private final byte[] request;
        private final ResponseHandler handler;
        private Channel channel;
        private boolean done;

        StreamClientHandler(byte[] request, ResponseHandler handler) {
            this.request = request;
            this.handler = handler;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.writeAndFlush(framed(request));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (!done) {
                done = true;
                byte[] body = ByteBufUtil.getBytes(frame);
                ctx.close();
                handler.onResponse(body);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail("closed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
            fail(cause.getClass().getSimpleName());
        }

        void fail(String reason) {
            if (!done) {
                done = true;
                streamErrors.incrementAndGet();
                if (channel != null) {
                    channel.close();
                }
                handler.onFailure(reason);
            }
        }
    }

    /** Builds a {@link NettyPeerChannel}. */
    public static final class Builder {
        private InetSocketAddress bind;
        private InetAddress advertise;
        private IoTransport kind = IoTransport.AUTO.resolve();
        private int maxStreamBytes = 16 << 20;
        private long streamIdleNanos = TimeUnit.SECONDS.toNanos(10);

        private Builder() {
        }

        /** Address and port for UDP and TCP (port 0: any free port, the same for both). */
        public Builder bind(InetSocketAddress v) {
            bind = Objects.requireNonNull(v);
            return this;
        }

        /** Address announced to other members (default: the bound one). */
        public Builder advertise(InetAddress v) {
            advertise = Objects.requireNonNull(v);
            return this;
        }

        /**
         * The I/O mechanism (default: {@link IoTransport#AUTO}, the best available).
         *
         * @throws IllegalStateException when it is not available here, with the cause
         */
        public Builder kind(IoTransport v) {
            kind = v.resolve();
            return this;
        }

        /** Largest stream body accepted (match {@code GossipConfig.maxStreamBytes()}). */
        public Builder maxStreamBytes(int v) {
            maxStreamBytes = v;
            return this;
        }

        /** How long an incoming stream may stay open (match {@code GossipConfig.streamTimeout()}). */
        public Builder streamIdleTimeout(java.time.Duration v) {
            streamIdleNanos = v.toNanos();
            return this;
        }

        /** Binds the sockets. */
        public NettyPeerChannel build() {
            Objects.requireNonNull(bind, "bind");
            return new NettyPeerChannel(this);
        }
    }
}
