package io.meshd.gossip.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.GossipNode;
import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.TestConfigs;
import io.meshd.harness.LabRequirement;
import io.meshd.net.IoTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoopbackClusterTest {

    private final List<GossipNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        for (GossipNode n : nodes) {
            try {
                n.shutdown();
            } catch (RuntimeException e) {
                // already stopped
            }
        }
    }

    private GossipNode start(String name, IoTransport kind, List<InetSocketAddress> seeds) throws Exception {
        NettyPeerChannel t = NettyPeerChannel.builder().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .kind(kind).build();
        GossipNode n = GossipNode.builder().config(TestConfigs.fast().name(name).seeds(seeds).build())
            .channel(t).scheduler(t.scheduler()).build().start();
        nodes.add(n);
        return n;
    }

    static boolean await(BooleanSupplier cond, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return cond.getAsBoolean();
    }

    static long count(GossipNode n, MemberState s) {
        return n.members().stream().filter(m -> m.state() == s).count();
    }

    @ParameterizedTest
    @EnumSource(value = IoTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldJoinSpreadTablesAndDetectACrashWithinTheBound(IoTransport kind) throws Exception {
        LabRequirement.require(kind.isAvailable(), kind + " unavailable here");
        GossipNode first = start("m0", kind, List.of());
        InetSocketAddress seed = first.member("m0").orElseThrow().address();
        for (int i = 1; i < 5; i++) {
            GossipNode n = start("m" + i, kind, List.of(seed));
            assertEquals(1, n.join(List.of(seed)).get(5, TimeUnit.SECONDS));
        }
        assertTrue(await(() -> nodes.stream().allMatch(n -> count(n, MemberState.ALIVE) == 5),
            Duration.ofSeconds(10)), "all five see five alive");

        nodes.get(2).put("endpoints", "web", new byte[] {10, 0, 0, 2});
        assertTrue(await(() -> nodes.stream().allMatch(n -> n.get("endpoints", "web").isPresent()),
            TestConfigs.spreadBound(5)), "entry reached everyone");
        assertArrayEquals(new byte[] {10, 0, 0, 2}, nodes.get(4).get("endpoints", "web").orElseThrow());

        Map<String, Long> deadAt = new ConcurrentHashMap<>();
        for (int i = 0; i < 4; i++) {
            String observer = "m" + i;
            nodes.get(i).addMembershipListener(m -> {
                if (m.name().equals("m4") && m.state() == MemberState.DEAD) {
                    deadAt.putIfAbsent(observer, System.nanoTime());
                }
            });
        }
        nodes.get(4).put("endpoints", "db", new byte[] {4});
        assertTrue(await(() -> nodes.get(0).get("endpoints", "db").isPresent(), TestConfigs.spreadBound(5)),
            "m4's entry reached m0");
        long crash = System.nanoTime();
        nodes.get(4).shutdown();
        Duration bound = TestConfigs.detectionBound(5);
        assertTrue(await(() -> deadAt.size() == 4, bound.plusSeconds(2)), "all four detect the crash: " + deadAt);
        for (long t : deadAt.values()) {
            Duration took = Duration.ofNanos(t - crash);
            assertTrue(took.compareTo(bound) <= 0, "detected after " + took + ", bound " + bound);
        }
        // The dead member's entries are hidden, the others stay.
        assertTrue(nodes.get(0).get("endpoints", "db").isEmpty());
        assertTrue(nodes.get(0).get("endpoints", "web").isPresent());

        // The leave notice goes straight to every live member; if that packet is lost, the next push-pull carries
        // it. So m0 sees "left" within one push-pull interval plus the scheduling allowance.
        Duration leaveTimeout = Duration.ofSeconds(2);
        nodes.get(3).leave(leaveTimeout).get(leaveTimeout.plus(TestConfigs.SCHEDULING_ALLOWANCE).toMillis(),
            TimeUnit.MILLISECONDS);
        Duration seen = TestConfigs.fast().name("x").build().pushPullInterval().plus(TestConfigs.SCHEDULING_ALLOWANCE);
        for (int i = 0; i < 3; i++) {
            GossipNode observer = nodes.get(i);
            assertTrue(await(() -> observer.member("m3").map(Member::state).orElseThrow() == MemberState.LEFT, seen),
                "graceful leave is seen as left by m" + i + ": " + observer.member("m3"));
        }
    }
}
