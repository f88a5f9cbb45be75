package io.meshd.dns;

import io.meshd.dns.internal.Forwarder;
import io.meshd.dns.internal.QueryProcessor;
import io.meshd.dns.internal.Responder;
import io.meshd.dns.internal.TcpConnectionLimiter;
import io.meshd.dns.internal.TcpIdleCloser;
import io.meshd.dns.internal.TcpQueryHandler;
import io.meshd.dns.internal.UdpQueryHandler;
import io.meshd.dns.internal.WireNames;
import io.meshd.net.SamePortBinding;
import io.meshd.net.IoTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The DNS responder: UDP and TCP listeners answering from a {@link RecordSource} scoped to a set of networks,
 * forwarding everything else upstream. Build with {@link #builder()}, {@link Builder#start() start}, and
 * {@link #close()} when done.
 *
 * <p>Sockets (listeners and forwarding sockets alike) are created by the {@link Builder#socketOpener(Executor)
 * socket opener}: hand it an executor whose thread has entered a network namespace and the responder listens and
 * forwards inside that namespace.
 */
public final class DnsServer implements AutoCloseable {

    private static final int MAX_TCP_MESSAGE = 65535;
    /** Largest UDP query read in full with recvmmsg (queries are tiny; EDNS payloads concern answers). */
    private static final int MAX_UDP_QUERY = 4096;

    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final List<InetSocketAddress> addresses;
    private final DnsCounters counters;
    private final Forwarder forwarder;

    private DnsServer(EventLoopGroup group, List<Channel> channels, List<InetSocketAddress> addresses,
                      DnsCounters counters, Forwarder forwarder) {
        this.group = group;
        this.channels = channels;
        this.addresses = addresses;
        this.counters = counters;
        this.forwarder = forwarder;
    }

    /** A builder with defaults: TTL from the source, no domain, no upstreams, best transport. */
    public static Builder builder() {
        return new Builder();
    }

    /** The addresses actually bound (ephemeral ports resolved), one per {@code listen} address; UDP and TCP alike. */
    public List<InetSocketAddress> addresses() {
        return addresses;
    }

    /**
     * What this server counted, as a {@link io.meshd.net.metrics.MetricSource} of {@code meshd_dns_*} metrics:
     * register it in the process's {@link io.meshd.net.metrics.MetricRegistry} to export it.
     */
    public DnsCounters counters() {
        return counters;
    }

    /** Forwarded queries in flight. */
    public int forwardsInFlight() {
        return forwarder.inFlight();
    }

    /** Closes every listener and stops the event loops. */
    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Configures and starts a {@link DnsServer}. */
    public static final class Builder {
        private final List<InetSocketAddress> listen = new ArrayList<>();
        private final List<InetSocketAddress> upstreams = new ArrayList<>();
        private final Set<String> networks = new LinkedHashSet<>();
        private RecordSource records = scope -> (name, length) -> NameNode.ABSENT;
        private String domain = "";
        private int negativeTtl = 30;
        private int localTtl = 600;
        private int maxUdpPayload = 1232;
        private Duration forwardTimeout = Duration.ofSeconds(2);
        private int maxForwarded = 1024;
        private Duration tcpIdleTimeout = Duration.ofSeconds(10);
        private int maxTcpConnections = 256;
        private int threads = Runtime.getRuntime().availableProcessors();
        private IoTransport transport = IoTransport.AUTO.resolve();
        private Executor socketOpener = Runnable::run;
        private DnsCounters counters = new DnsCounters();

        private Builder() {
        }

        /** Adds an address to listen on (UDP and TCP); port 0 picks one free port for both. */
        public Builder listen(InetSocketAddress address) {
            listen.add(address);
            return this;
        }

        /** Where the names come from. */
        public Builder records(RecordSource source) {
            this.records = source;
            return this;
        }

        /** The networks the queriers on these listeners are attached to: only their names resolve. */
        public Builder networks(Set<String> names) {
            networks.addAll(names);
            return this;
        }

        /**
         * The cluster domain (e.g. {@code mesh}): names below it are answered from the records with the domain
         * stripped, authoritatively (NXDOMAIN and NODATA carry an SOA, RFC 2308), and never forwarded.
         */
        public Builder domain(String clusterDomain) {
            WireNames.toWire(clusterDomain);
            String d = clusterDomain.endsWith(".") ? clusterDomain.substring(0, clusterDomain.length() - 1)
                : clusterDomain;
            this.domain = d.toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        /** The negative-caching TTL in the cluster domain's SOA (default 30 s). */
        public Builder negativeTtl(int seconds) {
            this.negativeTtl = seconds;
            return this;
        }

        /** The TTL of synthesised answers such as {@code localhost} (default 600 s). */
        public Builder localTtl(int seconds) {
            this.localTtl = seconds;
            return this;
        }

        /** Adds an upstream resolver; they are tried in the order added. */
        public Builder upstream(InetSocketAddress resolver) {
            upstreams.add(resolver);
            return this;
        }

        /** How long to wait for one upstream before trying the next (default 2 s). */
        public Builder forwardTimeout(Duration timeout) {
            this.forwardTimeout = timeout;
            return this;
        }

        /** The most forwarded queries in flight; beyond it clients get SERVFAIL (default 1024). */
        public Builder maxForwarded(int max) {
            this.maxForwarded = max;
            return this;
        }

        /** The largest UDP answer, whatever the client advertises (default 1232, the DNS flag day size). */
        public Builder maxUdpPayload(int bytes) {
            this.maxUdpPayload = bytes;
            return this;
        }

        /** How long a TCP connection may stay idle (default 10 s). */
        public Builder tcpIdleTimeout(Duration timeout) {
            this.tcpIdleTimeout = timeout;
            return this;
        }

        /** The most TCP connections at once (default 256). */
        public Builder maxTcpConnections(int max) {
            this.maxTcpConnections = max;
            return this;
        }

        /** Event-loop threads (default: one per core). With epoll or io_uring each gets its own UDP socket. */
        public Builder threads(int count) {
            this.threads = Math.max(1, count);
            return this;
        }

        /**
         * The socket implementation (default: {@link IoTransport#AUTO}, the best available).
         *
         * @throws IllegalStateException when it is not available here, with the cause
         */
        public Builder transport(IoTransport chosen) {
            this.transport = chosen.resolve();
            return this;
        }

        /** Runs every socket creation; give it a thread inside a network namespace to serve there. */
        public Builder socketOpener(Executor executor) {
            this.socketOpener = executor;
            return this;
        }

        /** Counters to use (e.g. shared by several servers); default: fresh ones. */
        public Builder counters(DnsCounters shared) {
            this.counters = shared;
            return this;
        }

        /** Binds every listener and starts answering. */
        public DnsServer start() throws InterruptedException {
            if (listen.isEmpty()) {
                throw new IllegalStateException("no listen address");
            }
            Forwarder forwarder = new Forwarder(upstreams, forwardTimeout, maxForwarded, transport, socketOpener,
                counters);
            Responder responder = new Responder(records.view(networks),
                domain.isEmpty() ? Optional.empty() : Optional.of(WireNames.toWire(domain)), soa(), maxUdpPayload,
                forwarder.enabled(), localTtl, counters, Responder.ownAddresses(listen));
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("meshd-dns"),
                transport.ioHandlerFactory());
            List<Channel> channels = new ArrayList<>();
            List<InetSocketAddress> bound = new ArrayList<>();
            try {
                for (InetSocketAddress address : listen) {
                    bound.add(bindBoth(group, address, responder, forwarder, channels));
                }
            } catch (RuntimeException | InterruptedException e) {
                for (Channel ch : channels) {
                    ch.close();
                }
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw e;
            }
            return new DnsServer(group, channels, List.copyOf(bound), counters, forwarder);
        }

        private ResourceRecord soa() {
            String d = domain.isEmpty() ? "invalid" : domain;
            return ResourceRecord.soa("ns." + d, "hostmaster." + d, System.currentTimeMillis() / 1000,
                3600, 600, 86400, negativeTtl, negativeTtl);
        }

        /** Binds the UDP socket(s) then TCP on the same port; retries when an ephemeral UDP port is taken on TCP. */
        private InetSocketAddress bindBoth(EventLoopGroup group, InetSocketAddress address, Responder responder,
                                           Forwarder forwarder, List<Channel> channels) throws InterruptedException {
            SamePortBinding.Bound<List<Channel>, Channel> bound = SamePortBinding.bind(address,
                at -> bindUdp(group, at, responder, forwarder),
                udp -> (InetSocketAddress) udp.get(0).localAddress(),
                at -> bindTcp(group, at, responder, forwarder),
                DnsServer.Builder::closeAll);
            channels.addAll(bound.udp());
            channels.add(bound.tcp());
            return bound.address();
        }

        private static void closeAll(List<Channel> channels) throws InterruptedException {
            for (Channel ch : channels) {
                ch.close().sync();
            }
        }

        private static RuntimeException unchecked(Exception e) {
            if (e instanceof RuntimeException) {
                return (RuntimeException) e;
            }
            return e instanceof IOException ? new UncheckedIOException((IOException) e) : new IllegalStateException(e);
        }

        private List<Channel> bindUdp(EventLoopGroup group, InetSocketAddress address, Responder responder,
                                      Forwarder forwarder) throws InterruptedException {
            int sockets = transport.reusesPort() ? threads : 1;
            List<Channel> result = new ArrayList<>();
            InetSocketAddress target = address;
            for (int i = 0; i < sockets; i++) {
                // An IPv4 listen address gets an IPv4 socket: an IPv6 one carrying IPv4-mapped addresses cost 1.3%
                // more of the server's CPU in the kernel's UDP path under dnsperf (perf: udpv6_sendmsg/recvmsg).
                SocketProtocolFamily family = target.getAddress() instanceof java.net.Inet4Address
                    ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
                Channel ch = open(() -> transport.newDatagramChannel(family));
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
                // The pooled allocator, not Netty 4.2's default adaptive one: that one zeroed every 64 KB recvmmsg
                // buffer (Unsafe.setMemory) and took its magazine locks per buffer; under dnsperf the user-space
                // share of the server's CPU fell from 15% to 9% with this (perf, same load).
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
            return result;
        }

        private Channel bindTcp(EventLoopGroup group, InetSocketAddress address, Responder responder,
                                Forwarder forwarder) throws InterruptedException {
            FastThreadLocal<QueryProcessor> processors = new FastThreadLocal<>() {
                @Override
                protected QueryProcessor initialValue() {
                    return new QueryProcessor(responder);
                }
            };
            TcpConnectionLimiter limiter = new TcpConnectionLimiter(maxTcpConnections, counters);
            long idleNanos = tcpIdleTimeout.toNanos();
            ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channelFactory((ChannelFactory<ServerChannel>) () -> open(transport::newServerChannel))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(limiter,
                            new TcpIdleCloser(idleNanos, counters),
                            new LengthFieldBasedFrameDecoder(MAX_TCP_MESSAGE + 2, 0, 2, 0, 2),
                            new TcpQueryHandler(processors, forwarder, counters));
                    }
                });
            return bootstrap.bind(address).sync().channel();
        }

        private <C extends Channel> C open(Supplier<C> factory) {
            return CompletableFuture.supplyAsync(factory, socketOpener).join();
        }
    }
}
