package io.meshd.mesh;

import io.meshd.Mesh;
import io.meshd.MeshOptions;
import io.meshd.gossip.GossipConfig;
import io.meshd.harness.LabHost;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Starts {@link Mesh} nodes of a lab test, each inside its lab host. */
final class LabMeshes {

    private LabMeshes() {
    }

    /**
     * Node {@code "n" + (i + 1)} in {@code host} at {@code address} (gossip on port 7946, the VTEP beside it),
     * joining through {@code seed} unless it is null. Every socket (gossip, VTEP, DNS forwarding) and every thread
     * that opens one starts inside the host. The routing mesh is off ({@code MeshIngressLabTest} tests it with
     * node names unique to the run).
     */
    static Mesh start(LabHost host, int i, String address, GossipConfig gossip, InetSocketAddress seed)
        throws Exception {
        InetAddress local = InetAddress.getByName(address);
        MeshOptions.Builder b = MeshOptions.builder().nodeName("n" + (i + 1)).gossip(gossip)
            .gossipBind(new InetSocketAddress(local, 7946)).vtepAddress((Inet4Address) local)
            .syncTimeout(Duration.ofSeconds(3)).clusterDomain("mesh")
            .routingMesh(false); // "n1".. are not unique per run; the ingress namespace is named after the node
        if (seed != null) {
            b.seed(seed);
        }
        MeshOptions o = b.build();
        return host.netns().call(() -> Mesh.start(o));
    }
}
