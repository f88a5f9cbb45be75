package io.meshd.lb.proxy;

import io.meshd.net.metrics.EnumCounters;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The first handler of an accepted client connection: picks the client's backend, connects to it (on the client's
 * event loop, so both channels of a pair share a thread), optionally sends a PROXY protocol v2 header so the
 * backend learns the client's address, then hands both channels to {@link TcpRelay}s.
 *
 * <p>A backend that refuses or times out is marked down and the client's next pick is tried, at most once per
 * backend; when none is left the client is closed. The client is not read until its backend is connected.
 */
@ChannelHandler.Sharable
final class TcpFrontend extends ChannelInboundHandlerAdapter {
    private static final int TCP = 6;
    private final TcpProxySettings settings;
    private final BackendPool pool;
    private final EnumCounters<ProxyEvent> counters;

    TcpFrontend(TcpProxySettings settings, BackendPool pool, EnumCounters<ProxyEvent> counters) {
        this.settings = settings;
        this.pool = pool;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counters.increment(ProxyEvent.ACCEPTED);
        connect(ctx.channel(), pool.backends().size());
    }

    private void connect(Channel client, int attemptsLeft) {
        InetSocketAddress clientAddress = (InetSocketAddress) client.remoteAddress();
        Optional<ProxyBackend> backend = attemptsLeft > 0 ? pool.pick(clientAddress, TCP) : Optional.empty();
        if (backend.isEmpty()) {
            counters.increment(ProxyEvent.NO_BACKEND);
            client.close();
            return;
        }
        SocketProtocolFamily family = TcpListeners.family(backend.get().address());
        ChannelFuture connecting = new Bootstrap().group(client.eventLoop())
            .channelFactory(() -> settings.transport().newSocketChannel(family))
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .handler(new ChannelInboundHandlerAdapter())
            .connect(backend.get().address());
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                counters.increment(ProxyEvent.BACKEND_FAILED);
                pool.mark(backend.get(), false);
                if (client.isActive()) {
                    connect(client, attemptsLeft - 1);
                }
                return;
            }
            counters.increment(ProxyEvent.BACKEND_CONNECTED);
            pair(client, connecting.channel());
        });
    }

    private void pair(Channel client, Channel backend) {
        if (!client.isActive()) {
            backend.close();
            return;
        }
        if (settings.proxyProtocol()) {
            backend.pipeline().addFirst(HAProxyMessageEncoder.INSTANCE);
            backend.writeAndFlush(header(client, backend));
            backend.pipeline().remove(HAProxyMessageEncoder.INSTANCE);
        }
        backend.pipeline().addLast(new TcpRelay(client));
        client.pipeline().replace(this, "relay", new TcpRelay(backend));
        client.read();
        backend.read();
    }

    /** PROXY v2: who connected (the client) and to what (this proxy's listening address). */
    private static HAProxyMessage header(Channel client, Channel backend) {
        InetSocketAddress source = (InetSocketAddress) client.remoteAddress();
        InetSocketAddress destination = (InetSocketAddress) client.localAddress();
        boolean v4 = source.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
        return new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
            v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
            source.getAddress().getHostAddress(), destination.getAddress().getHostAddress(), source.getPort(),
            destination.getPort());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
