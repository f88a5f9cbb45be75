package io.meshd.cli;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.netty.NettyGossip;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Demo: three gossip members on loopback join, spread a table entry, and detect one of them stopping. */
final class GossipDemoStep implements DemoStep {

    @Override
    public String title() {
        return "Gossip: three members join, share a table entry and detect a failure (loopback)";
    }

    private static GossipConfig config(String name, List<InetSocketAddress> seeds) {
        return GossipConfig.local().name(name).seeds(seeds).probeInterval(Duration.ofMillis(200))
            .probeTimeout(Duration.ofMillis(100)).gossipInterval(Duration.ofMillis(50)).suspicionMult(3)
            .pushPullInterval(Duration.ofSeconds(2)).streamTimeout(Duration.ofMillis(500)).build();
    }

    @Override
    public boolean run(PrintWriter out) throws Exception {
        out.println("  settings: probe every 200 ms, timeout 100 ms, suspicion multiplier 3 (a fast LOCAL profile)");
        List<GossipNode> nodes = new ArrayList<>();
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try {
            long t0 = System.nanoTime();
            GossipNode a = NettyGossip.start(config("alpha", List.of()), any, Optional.empty());
            nodes.add(a);
            InetSocketAddress seed = a.member("alpha").orElseThrow().address();
            out.printf("  alpha gossips on %s%n", seed);
            for (String n : List.of("bravo", "charlie")) {
                GossipNode g = NettyGossip.start(config(n, List.of(seed)), any, Optional.empty());
                nodes.add(g);
                g.join(List.of(seed)).get(5, TimeUnit.SECONDS);
            }
            boolean joined = await(() -> nodes.stream().allMatch(
                g -> g.members().stream().filter(m -> m.state() == MemberState.ALIVE).count() == 3), 10_000);
            out.printf("  %s: all three see three alive members after %d ms%n", joined ? "joined" : "NOT joined",
                ms(t0));
            long t1 = System.nanoTime();
            nodes.get(2).put("services", "web", "10.0.0.7:80".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            boolean spread = await(() -> nodes.stream().allMatch(g -> g.get("services", "web").isPresent()), 5_000);
            out.printf("  charlie wrote services/web; %s everyone after %d ms%n", spread ? "it reached" : "NOT at",
                ms(t1));
            Map<String, Long> deadAt = new ConcurrentHashMap<>();
            for (GossipNode g : nodes.subList(0, 2)) {
                g.addMembershipListener(m -> {
                    if (m.name().equals("charlie") && m.state() == MemberState.DEAD) {
                        deadAt.putIfAbsent(g.name(), System.nanoTime());
                    }
                });
            }
            long t2 = System.nanoTime();
            nodes.get(2).shutdown();
            out.println("  charlie stopped without a word (like kill -9)");
            boolean detected = await(() -> deadAt.size() == 2, 15_000);
            deadAt.forEach((who, at) -> out.printf("  %s marked charlie dead after %d ms%n", who,
                TimeUnit.NANOSECONDS.toMillis(at - t2)));
            boolean hidden = nodes.get(0).get("services", "web").isEmpty();
            out.printf("  charlie's entry services/web is %s at alpha%n", hidden ? "hidden" : "STILL visible");
            return joined && spread && detected && hidden;
        } finally {
            for (GossipNode g : nodes) {
                g.shutdown();
            }
        }
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    private static boolean await(BooleanSupplier cond, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
