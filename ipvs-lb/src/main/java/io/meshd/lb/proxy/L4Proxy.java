package io.meshd.lb.proxy;

import io.meshd.lb.MaglevTable;
import io.meshd.lb.Protocol;
import io.meshd.net.IoTransport;
import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.MetricSource;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A consistent-hash L4 proxy: {@code meshd proxy}, and the forwarding half of the routing mesh.
 *
 * <p>It listens on one address for TCP or UDP and sends each client to the backend Maglev picks for the client's
 * address and port, so two proxies given the same backends send the same client to the same backend. TCP backends
 * that refuse are marked down and retried; UDP clients get sessions that end when idle. Optionally each TCP
 * connection to a backend starts with a PROXY protocol v2 header carrying the client's address.
 *
 * <p>The listening sockets (one per event loop for TCP on epoll and io_uring, see {@link TcpListeners}) are created
 * on the thread that starts the proxy; every socket towards a backend is created
 * on one of its event-loop threads. On Linux a socket lives in the network namespace of the thread that created it,
 * so event-loop threads lent through {@link Builder#group} that entered another namespace (the routing mesh's
 * ingress attachment) listen in the caller's namespace and reach backends from that other one.
 */
public final class L4Proxy implements AutoCloseable {
    private final EventLoopGroup group;
    /** False when the caller lent the event loops (it shuts them down). */
    private final boolean ownsGroup;
    private final Channel channel;
    /** The listening channels: one per event loop for TCP where the transport can share a port, else one. */
    private final List<Channel> listeners;
    private final BackendPool pool;
    private final EnumCounters<ProxyEvent> counters;
    private final BackendProber prober;

    private L4Proxy(Builder b) throws InterruptedException {
        this.pool = new BackendPool(b.backends, b.tableSizeByBackends ? MaglevTable::ladderSize : n -> b.tableSize,
            b.emptyAllowed);
        this.counters = new EnumCounters<>(ProxyEvent.class, "meshd_proxy_events_total",
            "Proxy connections, sessions, datagrams and backend failures, by event", "event");
        IoTransport transport = b.transport.resolve();
        this.ownsGroup = b.group == null;
        this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(b.threads, transport.ioHandlerFactory()) : b.group;
        TcpProxySettings tcp = new TcpProxySettings(transport, b.connectTimeout, b.proxyProtocol);
        try {
            if (b.protocol == Protocol.TCP) {
                listeners = TcpListeners.bind(group, transport, b.listen, new TcpFrontend(tcp, pool, counters));
                channel = listeners.get(0);
                prober = new BackendProber(group, tcp, pool, b.retryInterval.toMillis(), counters);
            } else {
                channel = new Bootstrap().group(group).channelFactory(transport::newDatagramChannel)
                    .handler(new UdpRelay(transport, pool, counters, b.udpIdleTimeout, b.maxUdpSessions))
                    .bind(b.listen).sync().channel();
                listeners = List.of(channel);
                prober = null;
            }
        } catch (InterruptedException | RuntimeException e) {
            if (ownsGroup) {
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            throw e;
        }
    }

    /**
     * A builder.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where it listens (the port chosen, if 0 was asked).
     *
     * @return the bound address
     */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * The listening channels: for TCP on epoll and io_uring one per event loop, all bound to one port with
     * {@code SO_REUSEPORT}, each serving the connections it accepts on its own loop; else one.
     *
     * @return an immutable list, the first being the one {@link #address()} reports
     */
    List<Channel> listeners() {
        return listeners;
    }

    /**
     * Its backends and their health; {@link BackendPool#replace} changes them while it runs.
     *
     * @return the pool
     */
    public BackendPool backends() {
        return pool;
    }

    /**
     * What it counted, for export.
     *
     * @return the counters
     */
    public EnumCounters<ProxyEvent> counters() {
        return counters;
    }

    /**
     * The counters as a metric source.
     *
     * @return the source
     */
    public MetricSource metrics() {
        return counters;
    }

    @Override
    public void close() {
        if (prober != null) {
            prober.stop();
        }
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Settings of a proxy; every one has a default but the listen address and the backends. */
    public static final class Builder {
        private InetSocketAddress listen;
        private Protocol protocol = Protocol.TCP;
        private final List<ProxyBackend> backends = new ArrayList<>();
        private int tableSize = MaglevTable.DEFAULT_SIZE;
        private boolean tableSizeByBackends;
        private boolean proxyProtocol;
        private IoTransport transport = IoTransport.AUTO;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration retryInterval = Duration.ofSeconds(5);
        private Duration udpIdleTimeout = Duration.ofSeconds(30);
        private int maxUdpSessions = 65_536;
        private EventLoopGroup group;
        private boolean emptyAllowed;

        private Builder() {
        }

        /** Where to listen. @param v the address @return this */
        public Builder listen(InetSocketAddress v) {
            listen = Objects.requireNonNull(v);
            return this;
        }

        /** TCP (default) or UDP. @param v the protocol @return this */
        public Builder protocol(Protocol v) {
            protocol = Objects.requireNonNull(v);
            return this;
        }

        /** Adds a backend. @param v the backend @return this */
        public Builder backend(ProxyBackend v) {
            backends.add(Objects.requireNonNull(v));
            return this;
        }

        /**
         * Whether it may start with no backend (default no): every client is then closed (TCP) or dropped (UDP),
         * counted as {@link ProxyEvent#NO_BACKEND}, until {@link BackendPool#replace} gives it some.
         *
         * @param v yes
         * @return this
         */
        public Builder allowNoBackends(boolean v) {
            emptyAllowed = v;
            return this;
        }

        /** Maglev table size, a prime (default 65537). @param v the size @return this */
        public Builder tableSize(int v) {
            tableSize = v;
            tableSizeByBackends = false;
            return this;
        }

        /**
         * Sizes the Maglev table to the number of backends instead, {@link MaglevTable#ladderSize} (the routing mesh:
         * the size the mesh's VIP services get, 2 KB of slots for up to 10 backends instead of 128 KB).
         *
         * @return this
         */
        public Builder tableSizeByBackends() {
            tableSizeByBackends = true;
            return this;
        }

        /** Whether TCP connections to backends start with a PROXY v2 header (default no). @param v yes @return this */
        public Builder proxyProtocol(boolean v) {
            proxyProtocol = v;
            return this;
        }

        /** The I/O transport (default: the best available). @param v the transport @return this */
        public Builder transport(IoTransport v) {
            transport = Objects.requireNonNull(v);
            return this;
        }

        /** Event-loop threads (default: one per core). @param v at least 1 @return this */
        public Builder threads(int v) {
            threads = v;
            return this;
        }

        /**
         * Runs on the caller's event loops instead of its own {@link #threads} (default: its own): many proxies may
         * share them; the caller shuts them down after closing the proxies. Closing a proxy closes its listeners;
         * connections it relays keep going until one side closes them (or the loops shut down). Sockets towards
         * backends are created on these threads, so threads that entered another namespace reach backends from there.
         *
         * @param v the group, of the transport's kind
         * @return this
         */
        public Builder group(EventLoopGroup v) {
            group = Objects.requireNonNull(v);
            return this;
        }

        /** How long a backend may take to accept (default 3 s). @param v positive @return this */
        public Builder connectTimeout(Duration v) {
            connectTimeout = Objects.requireNonNull(v);
            return this;
        }

        /** How often down backends are retried (default 5 s). @param v positive @return this */
        public Builder retryInterval(Duration v) {
            retryInterval = Objects.requireNonNull(v);
            return this;
        }

        /** Idle time after which a UDP session ends (default 30 s). @param v positive @return this */
        public Builder udpIdleTimeout(Duration v) {
            udpIdleTimeout = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Starts the proxy.
         *
         * @return the running proxy
         * @throws IllegalArgumentException for a missing listen address, no backends (unless allowed) or a bad setting
         * @throws InterruptedException if interrupted while binding
         */
        public L4Proxy start() throws InterruptedException {
            if (listen == null) {
                throw new IllegalArgumentException("a listen address is required");
            }
            if (threads < 1 || connectTimeout.isNegative() || connectTimeout.isZero() || retryInterval.isNegative()
                || retryInterval.isZero() || udpIdleTimeout.isNegative() || udpIdleTimeout.isZero()) {
                throw new IllegalArgumentException("threads and durations must be positive");
            }
            return new L4Proxy(this);
        }
    }
}
