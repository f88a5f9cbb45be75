package io.meshd.api;

import io.meshd.net.metrics.EnumCounters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;

/**
 * Netty's aggregator with the API's answers: a body over the limit is refused with a JSON 413 (Netty's own has no
 * body), and {@code Expect} headers are dropped before Netty would answer them with a bodiless 100, 413 or 417 (the
 * client sends its body anyway; our client never asks).
 */
final class ApiAggregator extends HttpObjectAggregator {
    private final Duration linger;
    private final EnumCounters<Outcome> outcomes;

    ApiAggregator(int maxContentLength, Duration linger, EnumCounters<Outcome> outcomes) {
        super(maxContentLength);
        this.linger = linger;
        this.outcomes = outcomes;
    }

    @Override
    protected boolean isStartMessage(io.netty.handler.codec.http.HttpObject msg) throws Exception {
        if (msg instanceof HttpRequest r) {
            r.headers().remove(HttpHeaderNames.EXPECT);
        }
        return super.isStartMessage(msg);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.channel().config().setAutoRead(false);
        Responses.send(ctx, Responses.error(ApiError.of(413, "the request body is over the limit of "
            + maxContentLength() + " bytes")), linger, outcomes);
    }
}
