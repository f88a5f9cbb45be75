package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * Answers queries arriving on one UDP socket. Responses are written as they are built and flushed once per read
 * batch. Errors are counted and never close the socket: closing it would stop the listener for everyone.
 */
public final class UdpQueryHandler extends ChannelInboundHandlerAdapter {

    private static final int INITIAL_RESPONSE_CAPACITY = 512;

    private final Responder responder;
    private final Forwarder forwarder;
    private final DnsCounters counters;
    private QueryProcessor processor;

    /** A handler for one UDP channel (not sharable: it keeps its processor). */
    public UdpQueryHandler(Responder responder, Forwarder forwarder) {
        this.responder = responder;
        this.forwarder = forwarder;
        this.counters = responder.counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        processor = new QueryProcessor(responder);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        DatagramPacket packet = (DatagramPacket) msg;
        long start = System.nanoTime();
        ByteBuf out = ctx.alloc().directBuffer(INITIAL_RESPONSE_CAPACITY);
        try {
            ByteBuf query = packet.content();
            int verdict = processor.handle(query, out, false);
            if (verdict == QueryProcessor.ANSWERED) {
                ctx.write(new DatagramPacket(out, packet.sender()), ctx.voidPromise());
                out = null;
                counters.latency().record(System.nanoTime() - start);
            } else if (verdict == QueryProcessor.FORWARD) {
                forwarder.forward(query, ctx.channel().eventLoop(),
                    new Reply(ctx, packet.sender(), query, processor.udpLimit(), start));
            }
        } finally {
            if (out != null) {
                out.release();
            }
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Never ctx.close() here: this channel is the listening socket.
        counters.drop(DnsCounters.Drop.CHANNEL_ERROR);
    }

    /** Sends a forwarded query's outcome back to its UDP client. */
    private final class Reply implements ClientReply {
        private final ChannelHandlerContext ctx;
        private final InetSocketAddress client;
        private final ByteBuf query;
        private final int limit;
        private final long start;

        Reply(ChannelHandlerContext ctx, InetSocketAddress client, ByteBuf query, int limit, long start) {
            this.ctx = ctx;
            this.client = client;
            // Kept only while the forwarding lasts, to build our own answer if it fails.
            this.query = query.copy();
            this.limit = limit;
            this.start = start;
        }

        @Override
        public void relay(ByteBuf answer) {
            if (answer.readableBytes() > limit) {
                // Came over TCP and does not fit the client's UDP limit: tell it to retry over TCP.
                answer.release();
                respond(QueryProcessor.NOERROR, true);
                return;
            }
            query.release();
            send(answer);
        }

        @Override
        public void fail(int rcode) {
            respond(rcode, false);
        }

        private void respond(int rcode, boolean tc) {
            ByteBuf out = ctx.alloc().directBuffer(INITIAL_RESPONSE_CAPACITY);
            try {
                processor.respond(query, out, false, rcode, tc);
            } finally {
                query.release();
            }
            send(out);
        }

        private void send(ByteBuf out) {
            ctx.writeAndFlush(new DatagramPacket(out, client), ctx.voidPromise());
            counters.latency().record(System.nanoTime() - start);
        }
    }
}
