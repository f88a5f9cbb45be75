package io.meshd.mesh;

import io.meshd.Mesh;
import io.meshd.MeshOptions;
import io.meshd.gossip.GossipConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Mesh} node in a JVM of its own, for tests that kill it with {@code kill -9}: started inside a lab host
 * ({@code ip netns exec}), it starts the node with a state file, prints what it recovered, attaches the namespaces
 * named on its command line (once their network is known), prints {@code READY} and waits to be killed.
 *
 * <p>Arguments: {@code NODE ADDRESS SEED_HOST:PORT STATE_FILE [NETWORK:NAMESPACE:IP:NAME ...]}.
 */
public final class RecoveryNode {
    /** The gossip configuration of every node of a recovery test (LOCAL, push-pull every 2 s). */
    static final GossipConfig GOSSIP = GossipConfig.local().name("lab").pushPullInterval(Duration.ofSeconds(2))
        .build();
    /** How long the node waits for a network to be known before attaching to it. */
    private static final Duration NETWORK_WAIT = Duration.ofSeconds(60);

    private RecoveryNode() {
    }

    /** Starts the node; exits only when killed. */
    public static void main(String[] args) throws Exception {
        InetAddress local = InetAddress.getByName(args[1]);
        String[] seed = args[2].split(":");
        MeshOptions o = MeshOptions.builder().nodeName(args[0]).gossip(GOSSIP)
            .gossipBind(new InetSocketAddress(local, 7946)).vtepAddress((Inet4Address) local)
            .syncTimeout(Duration.ofSeconds(3)).clusterDomain("mesh")
            .seed(new InetSocketAddress(InetAddress.getByName(seed[0]), Integer.parseInt(seed[1])))
            .stateFile(Path.of(args[3])).build();
        Mesh mesh = Mesh.start(o);
        System.out.println("RECOVERED " + mesh.recovery().recovered());
        System.out.println("DROPPED " + mesh.recovery().dropped().size() + " " + mesh.recovery().dropped());
        List<String> attached = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            String[] f = args[i].split(":");
            long end = System.nanoTime() + NETWORK_WAIT.toNanos();
            while (!mesh.networks().containsKey(f[0]) && System.nanoTime() < end) {
                Thread.sleep(25);
            }
            mesh.attach(Mesh.attachment(f[0], f[1]).ip(InetAddress.getByName(f[2])).name(f[3]));
            attached.add(f[3]);
        }
        System.out.println("ATTACHED " + attached);
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
