package io.meshd.gossip.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.TableScopes;
import io.meshd.gossip.TestConfigs;
import io.meshd.gossip.netty.NettyPeerChannel;
import io.meshd.net.IoTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two real members on loopback claiming address blocks at the same moment end with distinct blocks. */
class BlockAllocatorRaceTest {

    private static final TableScopes TABLES = TableScopes.builder().cluster("ipam").build();
    private static final GossipConfig FAST = TestConfigs.fast().name("bound").build();
    /** A claim reaches the other member by gossip or, failing that, by the next push-pull. */
    private static final Duration SPREAD = FAST.pushPullInterval().plus(TestConfigs.SCHEDULING_ALLOWANCE);

    private final List<GossipNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(GossipNode::shutdown);
    }

    private GossipNode node(String name, TableScopes tables) {
        NettyPeerChannel t = NettyPeerChannel.builder().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .kind(IoTransport.NIO).build();
        GossipNode n = GossipNode.builder().config(TestConfigs.fast().name(name).tables(tables).build())
            .channel(t).scheduler(t.scheduler()).build().start();
        nodes.add(n);
        return n;
    }

    private static InetSocketAddress address(GossipNode n) {
        return n.member(n.name()).orElseThrow().address();
    }

    private static boolean await(BooleanSupplier cond, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return cond.getAsBoolean();
    }

    /** Both hold a block, the blocks differ, and both members see exactly the two winning claims. */
    private static boolean settled(BlockAllocator a, BlockAllocator b, GossipNode na, GossipNode nb) {
        OptionalInt x = a.held();
        OptionalInt y = b.held();
        return x.isPresent() && y.isPresent() && x.getAsInt() != y.getAsInt()
            && na.entries("ipam").size() == 2 && nb.entries("ipam").keySet().equals(na.entries("ipam").keySet());
    }

    @Test
    void shouldGiveTwoMembersClaimingAtOnceDistinctBlocks() throws Exception {
        GossipNode a = node("host-a", TABLES);
        GossipNode b = node("host-b", TABLES);
        assertEquals(1, b.join(List.of(address(a))).get(10, TimeUnit.SECONDS));
        assertTrue(a.awaitInitialSync(SPREAD) && b.awaitInitialSync(SPREAD));
        BlockAllocator pa = BlockAllocator.attach(a, "ipam", "front", a.name(), 4);
        BlockAllocator pb = BlockAllocator.attach(b, "ipam", "front", b.name(), 4);

        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<OptionalInt> ca = CompletableFuture.supplyAsync(() -> claimAfter(go, pa));
        CompletableFuture<OptionalInt> cb = CompletableFuture.supplyAsync(() -> claimAfter(go, pb));
        go.countDown();
        assertTrue(ca.get(10, TimeUnit.SECONDS).isPresent() && cb.get(10, TimeUnit.SECONDS).isPresent());

        assertTrue(await(() -> settled(pa, pb, a, b), SPREAD), "distinct blocks: " + pa.held() + " " + pb.held());
        assertNotEquals(pa.held(), pb.held());
        assertTrue(pa.repicks() == 0, "the lowest name never re-picks");
    }

    private static OptionalInt claimAfter(CountDownLatch go, BlockAllocator a) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return a.claim();
    }

    @Test
    void shouldMakeTheHigherNameRepickWhenTwoMembersClaimedTheSameBlockApart() throws Exception {
        // Claimed while they do not know each other (a partition, or two first members): both take block 0.
        GossipNode a = node("host-a", TABLES);
        GossipNode b = node("host-b", TABLES);
        BlockAllocator pa = BlockAllocator.attach(a, "ipam", "front", a.name(), 4);
        BlockAllocator pb = BlockAllocator.attach(b, "ipam", "front", b.name(), 4);
        assertEquals(OptionalInt.of(0), pa.claim());
        assertEquals(OptionalInt.of(0), pb.claim());

        assertEquals(1, b.join(List.of(address(a))).get(10, TimeUnit.SECONDS));
        assertTrue(await(() -> settled(pa, pb, a, b), SPREAD), "distinct blocks: " + pa.held() + " " + pb.held());
        assertEquals(OptionalInt.of(0), pa.held(), "host-a (lower name) keeps block 0");
        assertEquals(OptionalInt.of(1), pb.held(), "host-b re-picked the lowest free block");
        assertEquals(1, pb.repicks());
        assertEquals(0, pa.repicks());
    }

    @Test
    void shouldRefuseANodeScopedClaimTable() {
        GossipNode a = node("host-a", TableScopes.none());
        assertThrows(IllegalArgumentException.class, () -> BlockAllocator.attach(a, "ipam", "front", "x", 4));
    }
}
