package io.meshd.lb.proxy;

import io.meshd.net.metrics.EnumCounters;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Retries the backends a TCP proxy marked down: every interval, one connection attempt to each; one that connects is
 * marked up (the attempt is closed at once) and takes new clients again.
 */
final class BackendProber {
    private final ScheduledFuture<?> task;

    BackendProber(EventLoopGroup group, TcpProxySettings settings, BackendPool pool, long intervalMillis,
        EnumCounters<ProxyEvent> counters) {
        Bootstrap probe = new Bootstrap().group(group).channelFactory(settings.transport()::newSocketChannel)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
            .handler(new Discard());
        this.task = group.scheduleWithFixedDelay(() -> {
            for (ProxyBackend backend : pool.downBackends()) {
                probe.connect(backend.address()).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        f.channel().close();
                        if (pool.mark(backend, true)) {
                            counters.increment(ProxyEvent.BACKEND_RECOVERED);
                        }
                    }
                });
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        task.cancel(false);
    }

    /** A probe only connects: whatever the backend says is dropped with the connection. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
    }
}
