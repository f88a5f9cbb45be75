package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Answers length-prefixed queries on one TCP connection (RFC 7766): queries may be pipelined, answers go out in
 * the order they are ready (forwarded ones may overtake); {@link TcpIdleCloser} closes idle connections.
 */
public final class TcpQueryHandler extends ChannelInboundHandlerAdapter {

    private final FastThreadLocal<QueryProcessor> processors;
    private final Forwarder forwarder;
    private final DnsCounters counters;

    /**
     * @param processors one processor per event-loop thread, shared by every connection on it
     * @param forwarder where unknown names go
     * @param counters where to count
     */
    public TcpQueryHandler(FastThreadLocal<QueryProcessor> processors, Forwarder forwarder, DnsCounters counters) {
        this.processors = processors;
        this.forwarder = forwarder;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf query = (ByteBuf) msg;
        long start = System.nanoTime();
        ByteBuf out = ctx.alloc().directBuffer(514);
        try {
            out.writeShort(0);
            QueryProcessor processor = processors.get();
            int verdict = processor.handle(query, out, true);
            if (verdict == QueryProcessor.ANSWERED) {
                out.setShort(0, out.readableBytes() - 2);
                ctx.write(out, ctx.voidPromise());
                out = null;
                counters.latency().record(System.nanoTime() - start);
            } else if (verdict == QueryProcessor.FORWARD) {
                forwarder.forward(query, ctx.channel().eventLoop(), new Reply(ctx, query, start));
            }
        } finally {
            if (out != null) {
                out.release();
            }
            query.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A broken connection (e.g. a length prefix over the limit) only ends that connection.
        counters.drop(DnsCounters.Drop.CHANNEL_ERROR);
        ctx.close();
    }

    /** Sends a forwarded query's outcome back on this connection. */
    private final class Reply implements ClientReply {
        private final ChannelHandlerContext ctx;
        private final ByteBuf query;
        private final long start;

        Reply(ChannelHandlerContext ctx, ByteBuf query, long start) {
            this.ctx = ctx;
            this.query = query.copy();
            this.start = start;
        }

        @Override
        public void relay(ByteBuf answer) {
            query.release();
            ByteBuf prefix = ctx.alloc().directBuffer(2);
            prefix.writeShort(answer.readableBytes());
            ctx.write(prefix, ctx.voidPromise());
            send(answer);
        }

        @Override
        public void fail(int rcode) {
            ByteBuf out = ctx.alloc().directBuffer(514);
            try {
                out.writeShort(0);
                processors.get().respond(query, out, true, rcode, false);
                out.setShort(0, out.readableBytes() - 2);
            } finally {
                query.release();
            }
            send(out);
        }

        private void send(ByteBuf out) {
            ctx.writeAndFlush(out, ctx.voidPromise());
            counters.latency().record(System.nanoTime() - start);
        }
    }
}
