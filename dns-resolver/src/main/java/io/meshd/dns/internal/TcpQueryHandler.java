package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Answers length-prefixed queries on one TCP connection (RFC 7766): queries may be pipelined, answers go out in
 * the order they are ready (forwarded ones may overtake); {@link TcpIdleCloser} closes idle connections.
 */
public final class TcpQueryHandler extends QueryHandler {

    private static final int NO_LIMIT = 65535;

    private final FastThreadLocal<QueryProcessor> processors;

    /**
     * @param processors one processor per event-loop thread, shared by every connection on it
     * @param forwarder where unknown names go
     * @param counters where to count
     */
    public TcpQueryHandler(FastThreadLocal<QueryProcessor> processors, Forwarder forwarder, DnsCounters counters) {
        super(forwarder, counters, true);
        this.processors = processors;
    }

    @Override
    QueryProcessor processor() {
        return processors.get();
    }

    @Override
    int replyLimit(QueryProcessor p) {
        return NO_LIMIT;
    }

    @Override
    void send(ChannelHandlerContext ctx, ByteBuf out, Object client, boolean flush) {
        if (flush) {
            ctx.writeAndFlush(out, ctx.voidPromise());
        } else {
            ctx.write(out, ctx.voidPromise());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf) {
                answer(ctx, (ByteBuf) msg, ctx.channel().remoteAddress());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A broken connection (e.g. a length prefix over the limit) only ends that connection.
        counters.drop(DnsCounters.Drop.CHANNEL_ERROR);
        ctx.close();
    }
}
