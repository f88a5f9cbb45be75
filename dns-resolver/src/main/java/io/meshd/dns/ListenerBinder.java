package io.meshd.dns;

import io.meshd.dns.internal.Forwarder;
import io.meshd.dns.internal.QueryProcessor;
import io.meshd.dns.internal.Responder;
import io.meshd.dns.internal.TcpConnectionLimiter;
import io.meshd.dns.internal.TcpIdleCloser;
import io.meshd.dns.internal.TcpQueryHandler;
import io.meshd.dns.internal.UdpQueryHandler;
import io.meshd.net.IoTransport;
import io.meshd.net.SamePortBinding;
import io.meshd.shims.CpuSteering;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Binds the UDP socket(s) and the TCP listener of one address for one {@link Responder}, on the server's shared
 * event-loop group. Sockets are created by an opener executor (a thread inside the listener's network namespace)
 * and registered with the group afterwards: a socket stays in the namespace it was created in, whichever thread
 * serves it.
 */
final class ListenerBinder {

    private static final int MAX_TCP_MESSAGE = 65535;
    /** Largest UDP query read in full with recvmmsg (queries are tiny; EDNS payloads concern answers). */
    private static final int MAX_UDP_QUERY = 4096;

    /** {@code -Dmeshd.dns.cpuSteering=false} keeps the kernel's hash (for A/B measurements). */
    private static final boolean CPU_STEERING = Boolean.parseBoolean(
        System.getProperty("meshd.dns.cpuSteering", "true"));
    private static final AtomicBoolean STEERING_REFUSED_LOGGED = new AtomicBoolean();

    private final EventLoopGroup group;
    private final IoTransport transport;
    private final int threads;
    private final Forwarder forwarder;
    private final DnsCounters counters;
    private final long tcpIdleNanos;
    private final int maxTcpConnections;

    ListenerBinder(EventLoopGroup group, IoTransport transport, int threads, Forwarder forwarder,
                   DnsCounters counters, long tcpIdleNanos, int maxTcpConnections) {
        this.group = group;
        this.transport = transport;
        this.threads = threads;
        this.forwarder = forwarder;
        this.counters = counters;
        this.tcpIdleNanos = tcpIdleNanos;
        this.maxTcpConnections = maxTcpConnections;
    }

    /** Binds UDP then TCP on the same port (retrying an ephemeral UDP port taken on TCP); adds the channels. */
    InetSocketAddress bind(InetSocketAddress address, Responder responder, Executor opener, List<Channel> channels)
        throws InterruptedException {
        SamePortBinding.Bound<List<Channel>, Channel> bound = SamePortBinding.bind(address,
            at -> bindUdp(at, responder, opener),
            udp -> (InetSocketAddress) udp.get(0).localAddress(),
            at -> bindTcp(at, responder, opener),
            ListenerBinder::closeAll);
        channels.addAll(bound.udp());
        channels.add(bound.tcp());
        return bound.address();
    }

    static void closeAll(List<Channel> channels) throws InterruptedException {
        for (Channel ch : channels) {
            ch.close().sync();
        }
    }

    private static RuntimeException unchecked(Throwable e) {
        if (e instanceof RuntimeException) {
            return (RuntimeException) e;
        }
        return e instanceof IOException ? new UncheckedIOException((IOException) e) : new IllegalStateException(e);
    }

    private List<Channel> bindUdp(InetSocketAddress address, Responder responder, Executor opener)
        throws InterruptedException {
        int sockets = transport.reusesPort() ? threads : 1;
        List<Channel> result = new ArrayList<>();
        InetSocketAddress target = address;
        for (int i = 0; i < sockets; i++) {
            // An IPv4 listen address gets an IPv4 socket: an IPv6 one carrying IPv4-mapped addresses cost 1.3%
            // more of the server's CPU in the kernel's UDP path under dnsperf (perf: udpv6_sendmsg/recvmsg).
            SocketProtocolFamily family = target.getAddress() instanceof java.net.Inet4Address
                ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
            Channel ch = open(() -> transport.newDatagramChannel(family), opener);
            if (transport.reusesPort()) {
                ch.config().setOption(UnixChannelOption.SO_REUSEPORT, true);
            }
            if (transport == IoTransport.EPOLL) {
                // recvmmsg: up to 64 queries per system call, each up to the largest UDP query we accept (64, not
                // 16: under dnsperf the batches fill, and strace counted 0.07 instead of 0.28 system calls per
                // query: epoll_wait, recvmmsg, its getsockopt and sendmmsg once per batch).
                ch.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_QUERY);
                // Up to 4 such batches per wake-up, answered with one flush (sendmmsg) at the end.
                ch.config().setOption(ChannelOption.RECVBUF_ALLOCATOR,
                    new FixedRecvByteBufAllocator(MAX_UDP_QUERY * 64).maxMessagesPerRead(4));
            }
            // The pooled allocator, not Netty 4.2's default adaptive one: that one zeroed every recvmmsg buffer
            // (Unsafe.setMemory) and took its magazine locks per buffer; under dnsperf the user-space share of the
            // server's CPU fell from 15% to 9% with this (perf, same load).
            ch.config().setOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
            ch.config().setOption(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024);
            ch.config().setOption(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024);
            ch.pipeline().addLast(new UdpQueryHandler(responder, forwarder));
            group.next().register(ch).sync();
            try {
                ch.bind(target).sync();
            } catch (Exception e) {
                // A failed bind arrives as Netty's checked NativeIoException, rethrown by sync().
                ch.close();
                for (Channel c : result) {
                    c.close();
                }
                if (e instanceof InterruptedException) {
                    throw (InterruptedException) e;
                }
                throw unchecked(e);
            }
            result.add(ch);
            target = (InetSocketAddress) ch.localAddress();
        }
        steerByCpu(result);
        return result;
    }

    /**
     * Replaces the kernel's 4-tuple hash over the group's sockets by the packet's CPU (socket {@code cpu % n}), so
     * the load follows the clients' CPUs instead of depending on how a few client ports hash (docs/dns.md,
     * "Measured"). The group is this listener's alone: other namespaces' listeners are other groups. Kept on the
     * hash when the kernel or jnr-ffi refuses.
     */
    private static void steerByCpu(List<Channel> sockets) {
        if (sockets.size() < 2 || !(sockets.get(0) instanceof UnixChannel) || !CPU_STEERING) {
            return;
        }
        try {
            CpuSteering.attach(((UnixChannel) sockets.get(0)).fd().intValue(), sockets.size());
        } catch (RuntimeException | LinkageError e) {
            // Not fatal: the hash still spreads the clients, only less evenly. Said once, not per namespace.
            if (STEERING_REFUSED_LOGGED.compareAndSet(false, true)) {
                LoggerFactory.getLogger(ListenerBinder.class).atWarn().addKeyValue("error", e.toString())
                    .log("DNS listeners keep the kernel's hash: steering by CPU was refused");
            }
        }
    }

    private Channel bindTcp(InetSocketAddress address, Responder responder, Executor opener)
        throws InterruptedException {
        FastThreadLocal<QueryProcessor> processors = new FastThreadLocal<>() {
            @Override
            protected QueryProcessor initialValue() {
                return new QueryProcessor(responder);
            }
        };
        TcpConnectionLimiter limiter = new TcpConnectionLimiter(maxTcpConnections, counters);
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channelFactory((ChannelFactory<ServerChannel>) () -> open(transport::newServerChannel, opener))
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(limiter,
                        new TcpIdleCloser(tcpIdleNanos, counters),
                        new LengthFieldBasedFrameDecoder(MAX_TCP_MESSAGE + 2, 0, 2, 0, 2),
                        new TcpQueryHandler(processors, forwarder, counters));
                }
            });
        return bootstrap.bind(address).sync().channel();
    }

    private static <C extends Channel> C open(Supplier<C> factory, Executor opener) {
        try {
            return CompletableFuture.supplyAsync(factory, opener).join();
        } catch (CompletionException e) {
            throw unchecked(e.getCause());
        }
    }
}
