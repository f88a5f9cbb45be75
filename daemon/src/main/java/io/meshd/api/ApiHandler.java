package io.meshd.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.meshd.net.metrics.EnumCounters;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's request: the first complete request is routed and answered from the executor (handlers may block
 * on the mesh for a minute), later ones are dropped. A connection that has not sent a complete request within the
 * request timeout is closed; one that closes its side before that is answered 400.
 */
final class ApiHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    private final Router router;
    private final Executor executor;
    private final Duration timeout;
    private final EnumCounters<Outcome> outcomes;
    private ScheduledFuture<?> deadline;
    private boolean received;

    ApiHandler(Router router, Executor executor, Duration timeout, EnumCounters<Outcome> outcomes) {
        this.router = router;
        this.executor = executor;
        this.timeout = timeout;
        this.outcomes = outcomes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            if (!received) {
                ctx.close(); // idle or slow: it does not get to hold a connection
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (received || Responses.answered(ctx) || !(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg); // one request per connection; the rest is read and dropped
            return;
        }
        received = true;
        deadline.cancel(false);
        ctx.channel().config().setAutoRead(false);
        try {
            if (request.decoderResult().isFailure()) {
                // Netty's own message echoes the request's bytes: the answer says what kind of problem it was.
                answer(ctx, ApiError.badRequest(request.decoderResult().cause() instanceof TooLongFrameException
                    ? "request line or headers too long" : "not an HTTP/1.1 request (malformed request line or "
                    + "headers)"));
                return;
            }
            String method = request.method().name();
            String uri = request.uri();
            JsonNode body = body(request);
            QueryStringDecoder q = new QueryStringDecoder(uri, java.nio.charset.StandardCharsets.UTF_8, true,
                64);
            String rawPath = q.rawPath();
            Map<String, List<String>> query = new LinkedHashMap<>();
            q.parameters().forEach(query::put);
            executor.execute(() -> run(ctx, method, rawPath, query, body));
        } catch (ApiError e) {
            answer(ctx, e);
        } catch (IllegalArgumentException e) {
            answer(ctx, ApiError.badRequest("bad query: " + ApiError.oneLine(String.valueOf(e.getMessage()))));
        } catch (RejectedExecutionException e) {
            answer(ctx, ApiError.of(503, "the agent is busy (too many requests at once); try again"));
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("error", e.toString()).setCause(e).log("API request failed before routing");
            answer(ctx, ApiError.of(500, ApiError.INTERNAL));
        } finally {
            request.release();
        }
    }

    /** On the executor: routes and runs the handler, then answers on the event loop. */
    private void run(ChannelHandlerContext ctx, String method, String rawPath, Map<String, List<String>> query,
        JsonNode body) {
        try {
            Router.Match m = router.match(method, rawPath);
            ApiReply reply = m.route().handler().handle(new ApiRequest(method, rawPath, m.params(), query, body));
            Responses.send(ctx, Responses.reply(reply), timeout, outcomes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer(ctx, ApiError.of(503, "the agent is stopping"));
        } catch (Exception e) {
            ApiError error = ApiError.of(e);
            if (error.serverFault()) {
                LOG.atWarn().addKeyValue("method", method).addKeyValue("path", ApiError.oneLine(rawPath))
                    .addKeyValue("error", e.toString()).setCause(e).log("API request failed");
            }
            answer(ctx, error);
        }
    }

    /**
     * The body as JSON, or a {@code MissingNode} when there is none.
     *
     * @throws ApiError 415 for a body that is not {@code application/json}, 400 for one that is not JSON
     */
    private static JsonNode body(FullHttpRequest request) {
        if (!request.content().isReadable()) {
            return MissingNode.getInstance();
        }
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        String mime = type == null ? "" : HttpUtil.getMimeType(type) == null ? type
            : HttpUtil.getMimeType(type).toString();
        if (!mime.strip().toLowerCase(Locale.ROOT).equals("application/json")) {
            throw ApiError.of(415, "a request body must be application/json, not "
                + (type == null ? "without a Content-Type" : "'" + ApiError.oneLine(clip(type)) + "'"));
        }
        try (InputStream in = new ByteBufInputStream(request.content().retainedDuplicate(), true)) {
            JsonNode node = Json.MAPPER.readTree(in);
            return node == null ? MissingNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw ApiError.badRequest("the body is not JSON" + (where == null ? ""
                : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
        } catch (IOException e) {
            throw ApiError.badRequest("the body is not JSON");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (Responses.answered(ctx)) {
                ctx.close();
            } else if (!received) {
                received = true;
                deadline.cancel(false);
                answer(ctx, ApiError.badRequest("the connection was closed before a complete request"));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.atDebug().addKeyValue("error", cause.toString()).log("API connection failed");
        ctx.close();
    }

    private void answer(ChannelHandlerContext ctx, ApiError e) {
        Responses.send(ctx, Responses.error(e), timeout, outcomes);
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
