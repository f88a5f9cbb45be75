package io.meshd.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The local API over the agent's unix socket: HTTP/1.1 with Netty's client codec on an NIO domain-socket channel,
 * one connection per call. An answer must be HTTP with a JSON body (or none); the wait for it is bounded.
 */
public final class UnixSocketApi implements LocalApi {
    /** The default bound on one call: an automatic VNI or address can take a minute to settle. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    private static final int MAX_ANSWER = 64 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final Duration timeout;
    private final EventLoopGroup group;

    private UnixSocketApi(Path socket, Duration timeout) {
        this.socket = Objects.requireNonNull(socket);
        this.timeout = Objects.requireNonNull(timeout);
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meshd-api-client", true),
            NioIoHandler.newFactory());
    }

    /**
     * The one line every command prints when the agent cannot be reached: {@code Error: cannot reach the meshd agent
     * at PATH: <why> (is `meshd agent` running?)}, the path said once even where the cause names it too.
     *
     * @param socket the socket asked
     * @param e why it failed
     * @return the line, without a line break
     */
    public static String unreachable(Object socket, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String named = ": " + socket;
        if (why.endsWith(named) && why.length() > named.length()) {
            why = why.substring(0, why.length() - named.length());
        }
        return "Error: cannot reach the meshd agent at " + socket + ": " + why + " (is `meshd agent` running?)";
    }

    /** A client of the agent listening on {@code socket}, with {@link #DEFAULT_TIMEOUT}. */
    public static UnixSocketApi of(Path socket) {
        return new UnixSocketApi(socket, DEFAULT_TIMEOUT);
    }

    /** A client of the agent listening on {@code socket}, waiting up to {@code timeout} per call. */
    public static UnixSocketApi of(Path socket, Duration timeout) {
        return new UnixSocketApi(socket, timeout);
    }

    @Override
    public ApiResponse call(String method, String path, JsonNode body) throws IOException {
        byte[] content = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path,
            Unpooled.wrappedBuffer(content));
        request.headers().set(HttpHeaderNames.HOST, "localhost");
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        request.headers().set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
        if (body != null) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        HttpUtil.setContentLength(request, content.length);
        CompletableFuture<ApiResponse> answer = new CompletableFuture<>();
        Channel ch;
        try {
            ch = new Bootstrap().group(group).channel(NioDomainSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInitializer<NioDomainSocketChannel>() {
                    @Override
                    protected void initChannel(NioDomainSocketChannel c) {
                        c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER),
                            new Answer(answer));
                    }
                }).connect(UnixDomainSocketAddress.of(socket)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.release();
            throw new IOException("interrupted while connecting to " + socket, e);
        } catch (Exception e) {
            request.release();
            throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        try {
            ch.writeAndFlush(request).addListener(f -> {
                if (!f.isSuccess()) {
                    answer.completeExceptionally(f.cause());
                }
            });
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the agent", e);
        } catch (TimeoutException e) {
            throw new IOException("the agent did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(c.getMessage() == null ? c.toString()
                : c.getMessage(), c);
        } finally {
            ch.close();
        }
    }

    /** Completes the call with the first answer, or fails it if the connection ends first. */
    private static final class Answer extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<ApiResponse> answer;

        Answer(CompletableFuture<ApiResponse> answer) {
            this.answer = answer;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            if (r.decoderResult().isFailure()) {
                answer.completeExceptionally(new IOException("the agent's answer is not HTTP: "
                    + r.decoderResult().cause()));
                return;
            }
            int status = r.status().code();
            if (!r.content().isReadable()) {
                answer.complete(new ApiResponse(status, NullNode.getInstance()));
                return;
            }
            try (InputStream in = new ByteBufInputStream(r.content().retainedDuplicate(), true)) {
                JsonNode node = JSON.readTree(in);
                answer.complete(new ApiResponse(status, node == null ? NullNode.getInstance() : node));
            } catch (IOException e) {
                answer.completeExceptionally(new IOException("the agent's answer (HTTP " + status
                    + ") is not JSON: " + e.getMessage(), e));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer.completeExceptionally(new IOException("the agent closed the connection without answering"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            answer.completeExceptionally(cause instanceof IOException ? cause : new IOException(cause.toString(),
                cause));
            ctx.close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
