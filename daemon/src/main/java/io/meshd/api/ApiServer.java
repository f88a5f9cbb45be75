package io.meshd.api;

import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.MetricSource;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local API on a unix domain socket: Netty's epoll domain-socket transport (NIO's where epoll is not available:
 * there, a client that half-closes its side before the answer loses it, as Netty's NIO domain sockets ignore
 * half-closure), HTTP/1.1, one request per connection, handlers run on a small bounded executor.
 *
 * <p>The socket file is mode 0600 from the moment anyone can connect: it is bound inside a fresh directory of mode
 * 0700 next to the final path, set to 0600 there, then renamed over the final path (replacing a stale socket file
 * atomically), and the directory is removed. Its parent directory is created if missing.
 */
public final class ApiServer implements AutoCloseable {
    /** Largest request body: larger ones get 413. */
    public static final int MAX_BODY = 1 << 20;
    /** Default time a connection has to send a complete request (and the client to close after its answer). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final int MAX_INITIAL_LINE = 8192;
    private static final int MAX_HEADERS = 16384;

    private final Path path;
    private final EventLoopGroup group;
    private final ThreadPoolExecutor executor;
    private final Channel channel;
    private final EnumCounters<Outcome> outcomes;

    private ApiServer(Path path, EventLoopGroup group, ThreadPoolExecutor executor, Channel channel,
        EnumCounters<Outcome> outcomes) {
        this.path = path;
        this.group = group;
        this.executor = executor;
        this.channel = channel;
        this.outcomes = outcomes;
    }

    /** A builder serving {@code router} on {@code socket}. */
    public static Builder builder(Path socket, Router router) {
        return new Builder(socket, router);
    }

    /** The socket's path. */
    public Path path() {
        return path;
    }

    /** The request counters: {@code meshd_api_requests_total{outcome="ok|client-error|server-error"}}. */
    public MetricSource metrics() {
        return outcomes;
    }

    /** Stops listening, closes open connections after a moment, stops the handlers, removes the socket file. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        executor.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("socket", path).addKeyValue("error", e.toString())
                .log("cannot remove the API socket");
        }
    }

    /** Builds and starts an {@link ApiServer}. */
    public static final class Builder {
        private final Path socket;
        private final Router router;
        private int threads = 4;
        private int queue = 64;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(Path socket, Router router) {
            this.socket = Objects.requireNonNull(socket).toAbsolutePath();
            this.router = Objects.requireNonNull(router);
        }

        /** Handler threads (default 4): requests beyond them wait in the queue. */
        public Builder threads(int v) {
            this.threads = v;
            return this;
        }

        /** Requests that may wait for a handler thread (default 64); beyond: 503. */
        public Builder queue(int v) {
            this.queue = v;
            return this;
        }

        /** Time a connection has to send its request, and to close after its answer (default 10 s). */
        public Builder timeout(Duration v) {
            this.timeout = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Binds and starts serving.
         *
         * @throws IOException if the socket cannot be created where asked
         */
        public ApiServer start() throws IOException {
            Path parent = socket.getParent();
            Files.createDirectories(parent);
            EnumCounters<Outcome> outcomes = new EnumCounters<>(Outcome.class, "meshd_api_requests_total",
                "Requests answered on the local API socket, by outcome", "outcome");
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, "meshd-api-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            executor.allowCoreThreadTimeOut(true);
            boolean epoll = Epoll.isAvailable();
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meshd-api-io", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            Class<? extends ServerChannel> type = epoll ? EpollServerDomainSocketChannel.class
                : NioServerDomainSocketChannel.class;
            Path staging = null;
            try {
                staging = Files.createTempDirectory(parent, ".meshd-api-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path bound = staging.resolve("s");
                SocketAddress address = epoll ? new DomainSocketAddress(bound.toString())
                    : UnixDomainSocketAddress.of(bound);
                Channel ch = new ServerBootstrap().group(group).channel(type)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192),
                                new ApiAggregator(MAX_BODY, timeout, outcomes),
                                new ApiHandler(router, executor, timeout, outcomes));
                        }
                    }).bind(address).sync().channel();
                Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
                try {
                    Files.move(bound, socket, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    ch.close();
                    throw new IOException("cannot move the socket into place: " + e.getMessage(), e);
                }
                return new ApiServer(socket, group, executor, ch, outcomes);
            } catch (IOException | RuntimeException e) {
                executor.shutdownNow();
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                executor.shutdownNow();
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                throw new IOException("interrupted while binding " + socket, e);
            } finally {
                if (staging != null) {
                    Files.deleteIfExists(staging.resolve("s"));
                    Files.deleteIfExists(staging);
                }
            }
        }
    }
}
