package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * Answers queries arriving on one UDP socket. Responses are written as they are built and flushed once per read
 * batch (one sendmmsg with epoll). Errors are counted and never close the socket: closing it would stop the
 * listener for everyone.
 */
public final class UdpQueryHandler extends QueryHandler {

    private final Responder responder;
    private QueryProcessor processor;

    /** A handler for one UDP channel (not sharable: it keeps its processor). */
    public UdpQueryHandler(Responder responder, Forwarder forwarder) {
        super(forwarder, responder.counters, false);
        this.responder = responder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        processor = new QueryProcessor(responder);
    }

    @Override
    QueryProcessor processor() {
        return processor;
    }

    @Override
    int replyLimit(QueryProcessor p) {
        return p.udpLimit();
    }

    @Override
    void send(ChannelHandlerContext ctx, ByteBuf out, Object client, boolean flush) {
        DatagramPacket packet = new DatagramPacket(out, (InetSocketAddress) client);
        if (flush) {
            ctx.writeAndFlush(packet, ctx.voidPromise());
        } else {
            ctx.write(packet, ctx.voidPromise());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof DatagramPacket) {
                DatagramPacket packet = (DatagramPacket) msg;
                answer(ctx, packet.content(), packet.sender());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Never ctx.close() here: this channel is the listening socket.
        counters.drop(DnsCounters.Drop.CHANNEL_ERROR);
    }
}
