package io.meshd.dns;

import io.meshd.dns.internal.Forwarder;
import io.meshd.dns.internal.Responder;
import io.meshd.dns.internal.WireNames;
import io.meshd.net.IoTransport;
import io.meshd.shims.NetNs;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The DNS responder: UDP and TCP listeners answering from a {@link RecordSource} scoped to a set of networks,
 * forwarding everything else upstream. Build with {@link #builder()}, {@link Builder#start() start}, and
 * {@link #close()} when done.
 *
 * <p>One server serves many network namespaces: {@link #attach(NetNs, RecordView)} adds listeners at
 * 127.0.0.11:53 (UDP and TCP) inside a namespace, answering from that namespace's view, and
 * {@link Attachment#close()} removes them, at run time. Every listener of every namespace runs on the server's one
 * event-loop group: the sockets are created by a thread that entered the namespace and then registered with the
 * group. Forwarded queries leave from the namespace the server started in (as Docker's embedded resolver does):
 * a container's namespace usually has no route to the host's resolvers, and its own resolv.conf names 127.0.0.11.
 *
 * <p>Sockets of the builder's {@link Builder#listen listen} addresses and of forwarding are created by the
 * {@link Builder#socketOpener(Executor) socket opener}: hand it an executor whose thread has entered a network
 * namespace and those listeners, and forwarding, live inside that namespace.
 */
public final class DnsServer implements AutoCloseable {
    /** Where an attached namespace's listeners answer: Docker's embedded resolver address. */
    public static final InetSocketAddress NAMESPACE_ADDRESS = new InetSocketAddress("127.0.0.11", 53);

    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final List<InetSocketAddress> addresses;
    private final DnsCounters counters;
    private final Forwarder forwarder;
    private final ListenerBinder binder;
    /** Makes the responder of a view, with the settings the server started with. */
    private final BiFunction<RecordView, List<InetSocketAddress>, Responder> responders;
    private final NamespaceOpener opener = new NamespaceOpener();
    private final Map<Long, Attachment> attached = new LinkedHashMap<>();
    private boolean closed;

    private DnsServer(EventLoopGroup group, List<Channel> channels, List<InetSocketAddress> addresses,
                      DnsCounters counters, Forwarder forwarder, ListenerBinder binder,
                      BiFunction<RecordView, List<InetSocketAddress>, Responder> responders) {
        this.group = group;
        this.channels = channels;
        this.addresses = addresses;
        this.counters = counters;
        this.forwarder = forwarder;
        this.binder = binder;
        this.responders = responders;
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

    /**
     * Serves a namespace at {@link #NAMESPACE_ADDRESS} from a view, like
     * {@link #attach(NetNs, List, RecordView) attach(ns, List.of(NAMESPACE_ADDRESS), view)}.
     */
    public Attachment attach(NetNs namespace, RecordView view) throws InterruptedException {
        return attach(namespace, List.of(NAMESPACE_ADDRESS), view);
    }

    /**
     * Adds listeners inside a network namespace, answering from {@code view}: brings {@code lo} up there if it is
     * down, then binds UDP and TCP on each address with sockets created inside the namespace and served by this
     * server's event loops. The caller keeps the handle open while attached and writes the namespace's
     * resolv.conf ({@code nameserver 127.0.0.11}, {@code options ndots:0}); this method does not.
     *
     * @throws IllegalStateException when the namespace is attached already or the server is closed
     */
    public synchronized Attachment attach(NetNs namespace, List<InetSocketAddress> listen, RecordView view)
        throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("server is closed");
        }
        if (attached.containsKey(namespace.inode())) {
            throw new IllegalStateException(namespace + " is attached already");
        }
        opener.loopbackUp(namespace);
        Responder responder = responders.apply(view, listen);
        Executor inside = opener.in(namespace);
        List<Channel> own = new ArrayList<>();
        List<InetSocketAddress> bound = new ArrayList<>();
        try {
            for (InetSocketAddress address : listen) {
                bound.add(binder.bind(address, responder, inside, own));
            }
        } catch (RuntimeException | InterruptedException e) {
            for (Channel ch : own) {
                ch.close();
            }
            throw e;
        }
        Attachment a = new Attachment(namespace, view, own, List.copyOf(bound));
        attached.put(namespace.inode(), a);
        return a;
    }

    /** Removes the listeners of a namespace, if attached; returns whether it was. */
    public boolean detach(NetNs namespace) {
        Attachment a;
        synchronized (this) {
            a = attached.get(namespace.inode());
        }
        if (a == null) {
            return false;
        }
        a.close();
        return true;
    }

    /** The namespaces attached now. */
    public synchronized List<Attachment> attachments() {
        return List.copyOf(attached.values());
    }

    /** Closes every listener, attached namespaces' too, and stops the event loops. */
    @Override
    public void close() {
        List<Attachment> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(attached.values());
        }
        for (Attachment a : all) {
            a.close();
        }
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly();
        }
        opener.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** The listeners of one attached namespace. */
    public final class Attachment implements AutoCloseable {
        private final NetNs namespace;
        private final RecordView view;
        private final List<Channel> own;
        private final List<InetSocketAddress> bound;

        private Attachment(NetNs namespace, RecordView view, List<Channel> own, List<InetSocketAddress> bound) {
            this.namespace = namespace;
            this.view = view;
            this.own = own;
            this.bound = bound;
        }

        /** The namespace served. */
        public NetNs namespace() {
            return namespace;
        }

        /** The view it answers from. */
        public RecordView view() {
            return view;
        }

        /** The addresses bound inside the namespace. */
        public List<InetSocketAddress> addresses() {
            return bound;
        }

        /**
         * Closes the namespace's listeners (queries in flight on them are dropped) and forgets it. The view is the
         * caller's: unregister it from its source (e.g.
         * {@link io.meshd.dns.records.LiveRecordSource.LiveView#close()}). Idempotent.
         */
        @Override
        public void close() {
            synchronized (DnsServer.this) {
                if (attached.get(namespace.inode()) != this) {
                    return;
                }
                attached.remove(namespace.inode());
            }
            for (Channel ch : own) {
                ch.close().awaitUninterruptibly();
            }
        }

        @Override
        public String toString() {
            return "Attachment[" + namespace.path() + " " + bound + "]";
        }
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
            this.domain = DomainName.canonical(clusterDomain);
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

        /**
         * Starts the event loops and binds every {@code listen} address; with none, the server answers only in the
         * namespaces {@link DnsServer#attach attached} later.
         */
        public DnsServer start() throws InterruptedException {
            Forwarder forwarder = new Forwarder(upstreams, forwardTimeout, maxForwarded, transport, socketOpener,
                counters);
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("meshd-dns"),
                transport.ioHandlerFactory());
            // Start every event-loop thread now, from this thread: a thread inherits its creator's network
            // namespace, and the forwarding sockets they open must be in ours, not in an attached one.
            for (EventExecutor loop : group) {
                loop.submit(() -> { }).sync();
            }
            ListenerBinder binder = new ListenerBinder(group, transport, threads, forwarder, counters,
                tcpIdleTimeout.toNanos(), maxTcpConnections);
            Optional<byte[]> wireDomain = domain.isEmpty() ? Optional.empty() : Optional.of(WireNames.toWire(domain));
            ResourceRecord soa = soa();
            int udpPayload = maxUdpPayload;
            int ttl = localTtl;
            DnsCounters counted = counters;
            BiFunction<RecordView, List<InetSocketAddress>, Responder> responders = (view, at) -> new Responder(view,
                wireDomain, soa, udpPayload, forwarder.enabled(), ttl, counted, Responder.ownAddresses(at));
            List<Channel> channels = new ArrayList<>();
            List<InetSocketAddress> bound = new ArrayList<>();
            try {
                if (!listen.isEmpty()) {
                    Responder responder = responders.apply(records.view(networks), listen);
                    for (InetSocketAddress address : listen) {
                        bound.add(binder.bind(address, responder, socketOpener, channels));
                    }
                }
            } catch (RuntimeException | InterruptedException e) {
                for (Channel ch : channels) {
                    ch.close();
                }
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw e;
            }
            return new DnsServer(group, channels, List.copyOf(bound), counters, forwarder, binder, responders);
        }

        private ResourceRecord soa() {
            String d = domain.isEmpty() ? "invalid" : domain;
            return ResourceRecord.soa("ns." + d, "hostmaster." + d, System.currentTimeMillis() / 1000,
                3600, 600, 86400, negativeTtl, negativeTtl);
        }
    }
}
