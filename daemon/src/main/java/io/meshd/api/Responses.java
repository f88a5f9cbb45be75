package io.meshd.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Writes the one answer of a connection: the JSON body, {@code Connection: close}, then the server shuts its output
 * and reads (discarding) until the client closes or the linger time runs out, so the client is not reset before it
 * has read the answer. A connection gets one answer at most: the second attempt is ignored.
 */
final class Responses {
    /** Set once the connection's answer is written. */
    static final AttributeKey<Boolean> ANSWERED = AttributeKey.valueOf("meshd-api-answered");

    private Responses() {
    }

    /** Whether the connection has its answer. */
    static boolean answered(ChannelHandlerContext ctx) {
        return Boolean.TRUE.equals(ctx.channel().attr(ANSWERED).get());
    }

    /** The error's answer. */
    static FullHttpResponse error(ApiError e) {
        FullHttpResponse r = json(e.httpStatus(), e.body());
        if (e.allow() != null) {
            r.headers().set(HttpHeaderNames.ALLOW, e.allow());
        }
        return r;
    }

    /** A reply's answer. */
    static FullHttpResponse reply(ApiReply reply) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(reply.status());
        if (reply.body() == null) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            return r;
        }
        return json(status, reply.body());
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object body) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
        ByteBuf content = Unpooled.wrappedBuffer(bytes);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return r;
    }

    /**
     * Sends {@code response} as the connection's answer (on the channel's event loop), counting it; does nothing if
     * the connection has been answered.
     */
    static void send(ChannelHandlerContext ctx, FullHttpResponse response, Duration linger,
        io.meshd.net.metrics.EnumCounters<Outcome> outcomes) {
        if (!ctx.executor().inEventLoop()) {
            try {
                ctx.executor().execute(() -> send(ctx, response, linger, outcomes));
            } catch (RejectedExecutionException e) {
                response.release(); // the server is closing: the connection goes with it
            }
            return;
        }
        if (answered(ctx) || !ctx.channel().isActive()) {
            response.release();
            return;
        }
        ctx.channel().attr(ANSWERED).set(true);
        outcomes.increment(Outcome.of(response.status().code()));
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() || !(f.channel() instanceof io.netty.channel.socket.DuplexChannel d)) {
                f.channel().close();
                return;
            }
            d.shutdownOutput().addListener((ChannelFutureListener) s -> {
                if (!s.isSuccess() || d.isInputShutdown()) {
                    s.channel().close();
                    return;
                }
                ScheduledFuture<?> end = s.channel().eventLoop().schedule(() -> s.channel().close(),
                    linger.toMillis(), TimeUnit.MILLISECONDS);
                s.channel().closeFuture().addListener(c -> end.cancel(false));
                s.channel().config().setAutoRead(true);
            });
        });
    }
}
