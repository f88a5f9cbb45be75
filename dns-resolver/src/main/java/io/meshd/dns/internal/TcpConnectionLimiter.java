package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/** Caps open TCP connections: one past the cap is closed at once (and counted). Shared by every connection. */
@ChannelHandler.Sharable
public final class TcpConnectionLimiter extends ChannelInboundHandlerAdapter {

    private final int max;
    private final DnsCounters counters;
    private final AtomicInteger open = new AtomicInteger();

    /** Allows at most {@code max} connections at once. */
    public TcpConnectionLimiter(int max, DnsCounters counters) {
        this.max = max;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            counters.drop(DnsCounters.Drop.TCP_CONNECTION_CAP);
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    /** Connections open now. */
    public int open() {
        return open.get();
    }
}
