package io.meshd.api;

import io.meshd.Mesh;
import io.meshd.MeshOptions;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.security.Keyring;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;

/** A lone mesh node on loopback (VTEP on any free port, no root), encrypting with {@link #KEY}, for API tests. */
final class ApiTestMesh {
    /** The node's first gossip key. */
    static final byte[] KEY = key(1);

    private ApiTestMesh() {
    }

    static byte[] key(int b) {
        byte[] k = new byte[16];
        Arrays.fill(k, (byte) b);
        return k;
    }

    /** Starts the node with a keyring holding {@link #KEY}. */
    static Mesh start(String name, Keyring ring) throws Exception {
        return Mesh.start(MeshOptions.builder().nodeName(name)
            .gossip(GossipConfig.local().name(name).keyring(ring).pushPullInterval(Duration.ofSeconds(2)).build())
            .gossipBind(new InetSocketAddress("127.0.0.1", 0))
            .vtepAddress((Inet4Address) InetAddress.getByName("127.0.0.1")).vtepPort(0)
            .syncTimeout(Duration.ZERO).routingMesh(false).build()); // in the test's namespace: publish nothing
    }
}
