package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a TCP connection that has neither read nor written for the idle timeout (RFC 7766 section 6.2.3). One
 * timer per connection, re-armed for the remaining time when it fires early; nothing per message but a timestamp.
 */
public final class TcpIdleCloser extends ChannelInboundHandlerAdapter implements ChannelOutboundHandler {

    private final long idleNanos;
    private final DnsCounters counters;
    private long lastActivity;
    private ScheduledFuture<?> timer;

    /** Closes after {@code idleNanos} of silence. */
    public TcpIdleCloser(long idleNanos, DnsCounters counters) {
        this.idleNanos = idleNanos;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        lastActivity = System.nanoTime();
        arm(ctx, idleNanos);
        ctx.fireChannelActive();
    }

    private void arm(ChannelHandlerContext ctx, long delay) {
        timer = ctx.executor().schedule(() -> check(ctx), delay, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long remaining = idleNanos - (System.nanoTime() - lastActivity);
        if (remaining <= 0) {
            counters.drop(DnsCounters.Drop.TCP_IDLE);
            ctx.close();
        } else {
            arm(ctx, remaining);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = System.nanoTime();
        ctx.write(msg, promise);
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        ctx.bind(localAddress, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
        ctx.connect(remote, local, promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.close(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
