package io.meshd.gossip.netty;

import static io.meshd.gossip.netty.LoopbackClusterTest.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.MetricValues;
import io.meshd.gossip.Reconciliation;
import io.meshd.gossip.TableEvent;
import io.meshd.gossip.TableListener;
import io.meshd.gossip.TableScopes;
import io.meshd.gossip.TestConfigs;
import io.meshd.net.IoTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster state on real members over loopback: cluster-scoped entries outlive their writer, node-scoped ones are
 * hidden with it; a member restarted under the same name sees its old entries, reconciles them, and no member keeps
 * a stale one; a member whose declaration differs cannot make the others disagree.
 */
class ClusterStateTest {

    private static final TableScopes MESH = TableScopes.builder().cluster("networks").cluster("services")
        .node("endpoints").node("nodes").cluster("ipam").build();
    private static final GossipConfig FAST = TestConfigs.fast().name("bound").build();
    /** A write reaches every member by gossip or, failing that, by the next push-pull. */
    private static final Duration SPREAD = TestConfigs.spreadBound(3);

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

    private GossipNode node(String name, TableScopes tables, TableListener before) {
        NettyPeerChannel t = NettyPeerChannel.builder().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .kind(IoTransport.NIO).build();
        GossipNode n = GossipNode.builder().config(TestConfigs.fast().name(name).tables(tables).build())
            .channel(t).scheduler(t.scheduler()).build();
        if (before != null) {
            n.addTableListener(before);
        }
        nodes.add(n);
        return n.start();
    }

    private InetSocketAddress address(GossipNode n) {
        return n.member(n.name()).orElseThrow().address();
    }

    /** n0, n1, n2 joined through n0, all alive everywhere. */
    private List<GossipNode> cluster(TableScopes... scopes) throws Exception {
        List<GossipNode> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            GossipNode n = node("n" + i, scopes[Math.min(i, scopes.length - 1)], null);
            if (i > 0) {
                assertEquals(1, n.join(List.of(address(out.get(0)))).get(10, TimeUnit.SECONDS));
            }
            out.add(n);
        }
        assertTrue(await(() -> out.stream().allMatch(n -> LoopbackClusterTest.count(n, MemberState.ALIVE) == 3),
            Duration.ofSeconds(10)), "three alive everywhere");
        return out;
    }

    private static boolean stateIs(GossipNode observer, String name, MemberState s) {
        return observer.member(name).map(m -> m.state() == s).orElse(false);
    }

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void shouldKeepClusterEntriesOfADeadWriterAndHideItsNodeEntries() throws Exception {
        List<GossipNode> c = cluster(MESH);
        c.get(2).put("networks", "front", b(10, 0, 9, 0, 24));
        c.get(2).put("endpoints", "front/web.1", b(10, 0, 9, 5));
        assertTrue(await(() -> c.get(0).entries("endpoints").size() == 1 && c.get(1).entries("networks").size() == 1
            && c.get(1).entries("endpoints").size() == 1 && c.get(0).entries("networks").size() == 1, SPREAD));

        c.get(2).shutdown();
        Duration bound = TestConfigs.detectionBound(3);
        assertTrue(await(() -> stateIs(c.get(0), "n2", MemberState.DEAD) && stateIs(c.get(1), "n2", MemberState.DEAD),
            bound), "n2 declared dead within " + bound);
        for (GossipNode n : c.subList(0, 2)) {
            assertArrayEquals(b(10, 0, 9, 0, 24), n.get("networks", "front").orElseThrow(), n.name());
            assertTrue(n.get("endpoints", "front/web.1").isEmpty(), n.name() + " hides the dead node's endpoint");
            assertEquals(Set.of("front/web.1"), n.entries("endpoints", "n2").keySet(), "owner-aware read sees it");
        }
        // Anyone may delete a cluster entry of a dead writer; the tombstone spreads.
        assertTrue(c.get(1).delete("networks", "front"));
        assertTrue(await(() -> c.get(0).get("networks", "front").isEmpty(), SPREAD));
    }

    @Test
    void shouldReconcileARestartedNodesEntriesSoNoMemberKeepsAStaleOne() throws Exception {
        List<GossipNode> c = cluster(MESH);
        GossipNode old = c.get(2);
        old.put("endpoints", "front/web.1", b(1));
        old.put("endpoints", "front/web.2", b(2));
        old.put("networks", "front", b(9));
        assertTrue(await(() -> c.get(0).entries("endpoints").size() == 2 && c.get(1).entries("endpoints").size() == 2,
            SPREAD));
        old.shutdown();
        Duration bound = TestConfigs.detectionBound(3);
        assertTrue(await(() -> stateIs(c.get(0), "n2", MemberState.DEAD) && stateIs(c.get(1), "n2", MemberState.DEAD),
            bound));
        assertTrue(c.get(0).entries("endpoints").isEmpty(), "hidden while n2 is dead");

        // Restart under the same name on a new port, a listener registered before start.
        List<TableEvent> seen = new CopyOnWriteArrayList<>();
        GossipNode again = node("n2", MESH, seen::add);
        assertEquals(1, again.join(List.of(address(c.get(0)))).get(10, TimeUnit.SECONDS));
        assertTrue(again.awaitInitialSync(FAST.streamTimeout().plus(TestConfigs.SCHEDULING_ALLOWANCE)));
        assertEquals(Set.of("front/web.1", "front/web.2"), again.ownEntries("endpoints").keySet(),
            "the restarted node finds what it wrote before");
        // Listeners are called after the sync completes, so the events may still be on their way.
        Set<String> expected = Set.of("endpoints:front/web.1", "endpoints:front/web.2", "networks:front");
        assertTrue(await(() -> puts(seen).equals(expected), SPREAD),
            "a listener added before start sees every entry of the first push-pull: " + puts(seen));

        // Local truth after the restart: web.1 still exists with a new value, web.2 is gone, web.3 is new.
        Map<String, byte[]> truth = new TreeMap<>(Map.of("front/web.1", b(11), "front/web.3", b(3)));
        Reconciliation r = again.reconcile("endpoints", truth);
        assertEquals(List.of("front/web.1", "front/web.3"), r.announced());
        assertEquals(List.of("front/web.2"), r.deleted());
        assertEquals(new Reconciliation(List.of(), List.of()), again.reconcile("endpoints", truth), "idempotent");

        for (GossipNode n : c.subList(0, 2)) {
            assertTrue(await(() -> stateIs(n, "n2", MemberState.ALIVE) && n.entries("endpoints").keySet()
                .equals(Set.of("front/web.1", "front/web.3")) && n.get("endpoints", "front/web.1")
                .map(v -> v[0] == 11).orElse(false), bound.plus(SPREAD)),
                n.name() + " holds exactly the reconciled endpoints: " + n.entries("endpoints").keySet());
        }
        assertEquals(Set.of("front/web.1", "front/web.3"), again.entries("endpoints").keySet());
    }

    @Test
    void shouldAgreeOnAVersionsOwnScopeWhenDeclarationsDiffer() throws Exception {
        // n0 declares services cluster-scoped; n1 and n2 declare nothing (node-scoped by default).
        List<GossipNode> c = cluster(MESH, TableScopes.none());
        c.get(0).put("services", "web", b(1));
        assertTrue(await(() -> c.get(1).get("services", "web").isPresent() && c.get(2).get("services", "web")
            .isPresent(), SPREAD));
        assertTrue(MetricValues.value(c.get(1).metrics(), "meshd_gossip_events_total", "event", "scope-mismatch") > 0,
            "n1 counted the mismatch");
        c.get(0).shutdown();
        Duration bound = TestConfigs.detectionBound(3);
        assertTrue(await(() -> stateIs(c.get(1), "n0", MemberState.DEAD) && stateIs(c.get(2), "n0", MemberState.DEAD),
            bound));
        assertTrue(c.get(1).get("services", "web").isPresent() && c.get(2).get("services", "web").isPresent(),
            "the version says cluster-scoped, so it stays visible at members that declare the table otherwise");
    }

    @Test
    void shouldTimeOutTheInitialSyncOfAMemberAloneAndRefuseOversizedEntries() {
        GossipNode alone = node("alone", MESH, null);
        assertFalse(alone.awaitInitialSync(Duration.ofMillis(300)));
        int max = alone.maxEntryBytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> alone.put("endpoints", "k", new byte[max]));
        assertTrue(e.getMessage().contains("one gossip packet"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> alone.put("endpoints", "", b(1)));
        alone.put("endpoints", "k", new byte[max - 40]);
    }

    private static Set<String> puts(List<TableEvent> seen) {
        Set<String> put = new java.util.TreeSet<>();
        for (TableEvent e : seen) {
            if (e.kind() == TableEvent.Kind.PUT) {
                put.add(e.table() + ":" + e.key());
            }
        }
        return put;
    }
}
