package io.meshd;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.MemberState;
import io.meshd.harness.Await;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Two mesh nodes, {@code a} and {@code b}, on loopback in the test's namespace (no root; no routing mesh, since
 * both would publish in one namespace), started and seen alive by each other.
 */
final class LoopbackPair implements AutoCloseable {
    /** How long a loopback pair may take to agree on a change (push-pull every 2 s, on a loaded machine). */
    static final Duration SETTLE = Duration.ofSeconds(20);

    final Mesh a;
    final Mesh b;

    private LoopbackPair(Mesh a, Mesh b) {
        this.a = a;
        this.b = b;
    }

    static LoopbackPair start() throws Exception {
        Mesh a = Mesh.start(options("a", null));
        Mesh b;
        try {
            b = Mesh.start(options("b", a.gossipAddress()));
        } catch (Exception | Error e) {
            a.close();
            throw e;
        }
        LoopbackPair pair = new LoopbackPair(a, b);
        await(() -> a.members().stream().filter(m -> m.state() == MemberState.ALIVE).count() == 2);
        return pair;
    }

    private static MeshOptions options(String name, InetSocketAddress seed) throws Exception {
        // push-pull every 2 s: an automatic VNI settles in 9.2 s (BlockAllocator.settleTime)
        MeshOptions.Builder o = MeshOptions.builder().nodeName(name)
            .gossip(GossipConfig.local().name(name).pushPullInterval(Duration.ofSeconds(2)).build())
            .gossipBind(new InetSocketAddress("127.0.0.1", 0))
            .vtepAddress((Inet4Address) InetAddress.getByName("127.0.0.1")).vtepPort(0)
            .syncTimeout(Duration.ofSeconds(2)).routingMesh(false);
        if (seed != null) {
            o.seed(seed);
        }
        return o.build();
    }

    /** Returns once {@code condition} holds, within {@link #SETTLE}. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        Await.await("condition", SETTLE, condition);
    }

    @Override
    public void close() {
        b.close();
        a.close();
    }
}
