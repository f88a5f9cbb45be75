package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Rcode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * What the UDP and TCP handlers share: answer one query into a pooled buffer, hand it to the transport or to the
 * forwarder, and send a forwarded query's outcome back. Subclasses say how a message is framed and addressed.
 */
abstract class QueryHandler extends ChannelInboundHandlerAdapter {

    static final int INITIAL_RESPONSE_CAPACITY = 514;
    private static final long NO_BATCH = Long.MIN_VALUE;

    final Forwarder forwarder;
    final DnsCounters counters;
    private final boolean tcp;
    private final int prefix;
    /**
     * When the current read batch began (System.nanoTime), or {@link #NO_BATCH}: every query of one batch (one
     * recvmmsg, or one TCP read) arrived together, so one clock read serves them all, and one more before the
     * flush times all their answers. Two clock reads per batch instead of two per query (perf: clock_gettime was 1% of
     * the server's CPU under dnsperf). Only the channel's event loop touches these.
     */
    private long batchStart = NO_BATCH;
    /** Answers written in the current batch, timed at its flush. */
    private int batchAnswers;

    QueryHandler(Forwarder forwarder, DnsCounters counters, boolean tcp) {
        this.forwarder = forwarder;
        this.counters = counters;
        this.tcp = tcp;
        this.prefix = tcp ? 2 : 0;
    }

    /** The processor of the calling event-loop thread. */
    abstract QueryProcessor processor();

    /** Writes one framed response (takes ownership of {@code out}); {@code flush} after forwarded answers. */
    abstract void send(ChannelHandlerContext ctx, ByteBuf out, Object client, boolean flush);

    /** The client's UDP limit for a forwarded answer (TCP: no limit). */
    abstract int replyLimit(QueryProcessor processor);

    /** Answers {@code query} (not released here) from {@code client}. */
    final void answer(ChannelHandlerContext ctx, ByteBuf query, Object client) {
        if (batchStart == NO_BATCH) {
            batchStart = System.nanoTime();
        }
        long start = batchStart;
        ByteBuf out = ctx.alloc().directBuffer(INITIAL_RESPONSE_CAPACITY);
        try {
            out.writerIndex(prefix);
            QueryProcessor processor = processor();
            QueryOutcome outcome = processor.handle(query, out, tcp);
            if (outcome == QueryOutcome.ANSWERED) {
                send(ctx, frame(out), client, false);
                out = null;
                batchAnswers++;
            } else if (outcome == QueryOutcome.FORWARD) {
                forwarder.forward(query, ctx.channel().eventLoop(),
                    new Reply(ctx, client, replyLimit(processor), start));
            }
        } finally {
            if (out != null) {
                out.release();
            }
        }
    }

    /** Fills in the TCP length prefix. */
    private ByteBuf frame(ByteBuf out) {
        if (tcp) {
            out.setShort(0, out.readableBytes() - 2);
        }
        return out;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Counted before the flush, so a client that has its answer finds it counted.
        if (batchAnswers > 0) {
            processor().recordLatency(System.nanoTime() - batchStart, batchAnswers);
        }
        batchStart = NO_BATCH;
        batchAnswers = 0;
        ctx.flush();
    }

    /** Sends a forwarded query's outcome back to its client. */
    private final class Reply implements ClientReply {
        private final ChannelHandlerContext ctx;
        private final Object client;
        private final int limit;
        private final long start;

        Reply(ChannelHandlerContext ctx, Object client, int limit, long start) {
            this.ctx = ctx;
            this.client = client;
            this.limit = limit;
            this.start = start;
        }

        @Override
        public void relay(ByteBuf answer, ByteBuf query) {
            if (answer.readableBytes() > limit) {
                // Came over TCP and does not fit the client's UDP limit: tell it to retry over TCP.
                answer.release();
                respond(Rcode.NOERROR, true, query);
                return;
            }
            done(tcp ? TcpFraming.prefixed(ctx.alloc(), answer) : answer);
        }

        @Override
        public void fail(Rcode rcode, ByteBuf query) {
            respond(rcode, false, query);
        }

        private void respond(Rcode rcode, boolean tc, ByteBuf query) {
            ByteBuf out = ctx.alloc().directBuffer(INITIAL_RESPONSE_CAPACITY);
            out.writerIndex(prefix);
            processor().respond(query, out, tcp, rcode, tc);
            done(frame(out));
        }

        private void done(ByteBuf out) {
            send(ctx, out, client, true);
            processor().recordLatency(System.nanoTime() - start, 1);
        }
    }
}
