package io.meshd.gossip.netty;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/** Starts a {@link GossipNode} on the real network: the usual way to run a member. */
public final class NettyGossip {

    private NettyGossip() {
    }

    /**
     * Binds {@code bind} (UDP and TCP), starts the member and returns it; join with {@link GossipNode#join}.
     * {@code advertise} overrides the address announced to others.
     */
    public static GossipNode start(GossipConfig config, InetSocketAddress bind, Optional<InetAddress> advertise) {
        NettyPeerChannel.Builder tb = NettyPeerChannel.builder().bind(bind).maxStreamBytes(config.maxStreamBytes())
            .streamIdleTimeout(config.streamTimeout());
        advertise.ifPresent(tb::advertise);
        NettyPeerChannel t = tb.build();
        return GossipNode.builder().config(config).channel(t).scheduler(t.scheduler()).build().start();
    }
}
