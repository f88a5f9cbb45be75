package io.meshd.lb.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;

/**
 * Copies what one side of a proxied TCP connection reads to the other side.
 *
 * <p>Backpressure: it stops reading while the peer cannot take more ({@code !isWritable()}) and resumes when the
 * peer drains, so a slow receiver never makes the proxy buffer without bound. A half-close (FIN) is passed on as a
 * half-close, so request/response protocols that close their sending side keep working; when both sides have
 * finished (the second FIN closes both at once), or either closes or fails, both close.
 */
final class TcpRelay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    TcpRelay(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        peer.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Our channel drained: the peer's relay may read again.
        if (ctx.channel().isWritable()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            DuplexChannel self = (DuplexChannel) ctx.channel();
            if (peer instanceof DuplexChannel && ((DuplexChannel) peer).isInputShutdown()) {
                // The peer finished sending first and its FIN was passed on: both directions are done. Closing each
                // side once what is queued for it is written sends the FIN a shutdown would, without that system call.
                closeAfterFlush(peer);
                closeAfterFlush(self);
                return;
            }
            if (peer instanceof DuplexChannel && peer.isActive()) {
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ((DuplexChannel) peer).shutdownOutput());
            }
            if (self.isOutputShutdown()) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeAfterFlush(peer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a broken pipe ends the proxied connection; the counters say how many ended, not each one.
        ctx.close();
        closeAfterFlush(peer);
    }

    /**
     * Closes a channel once what is queued for it is written. With nothing queued, or its output already shut down
     * (a shutdown waits for the queue), it closes at once: an empty write there would only make Netty fail it with an
     * exception (a stack trace per connection).
     */
    static void closeAfterFlush(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
        if (queued == null || queued.totalPendingWriteBytes() == 0
            || channel instanceof DuplexChannel && ((DuplexChannel) channel).isOutputShutdown()) {
            channel.close();
        } else {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
