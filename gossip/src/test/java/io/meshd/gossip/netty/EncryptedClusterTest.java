package io.meshd.gossip.netty;

import static io.meshd.gossip.netty.LoopbackClusterTest.await;
import static io.meshd.gossip.netty.LoopbackClusterTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.GossipNode;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.MetricValues;
import io.meshd.gossip.TestConfigs;
import io.meshd.gossip.security.Keyring;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EncryptedClusterTest {

    private final List<GossipNode> nodes = new ArrayList<>();
    private final List<String> bad = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(GossipNode::shutdown);
    }

    static byte[] key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    private GossipNode start(String name, Optional<Keyring> ring, String label) {
        var b = TestConfigs.fast().name(name).label(label);
        ring.ifPresent(b::keyring);
        GossipNode n = NettyGossip.start(b.build(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            Optional.empty());
        n.addMembershipListener(m -> {
            // A suspicion refuted in time can come from a scheduling hiccup on a loaded machine (100 ms probe
            // timeout); a rotation bug shows as members declared dead.
            if (m.state() == MemberState.DEAD) {
                bad.add(name + " saw " + m);
            }
        });
        nodes.add(n);
        return n;
    }

    private InetSocketAddress addr(GossipNode n) {
        return n.member(n.name()).orElseThrow().address();
    }

    private List<Keyring> cluster(int n, byte[] k) throws Exception {
        List<Keyring> rings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Keyring r = Keyring.of(k);
            rings.add(r);
            GossipNode g = start("e" + i, Optional.of(r), "prod");
            if (i > 0) {
                assertEquals(1, g.join(List.of(addr(nodes.get(0)))).get(5, TimeUnit.SECONDS));
            }
        }
        assertTrue(await(() -> nodes.stream().allMatch(g -> count(g, MemberState.ALIVE) == n), Duration.ofSeconds(10)));
        return rings;
    }

    private static long dropped(GossipNode n, String reason) {
        return MetricValues.value(n.metrics(), "meshd_gossip_drops_total", "reason", reason);
    }

    @Test
    void shouldKeepOutMembersWithTheWrongKeyLabelOrNoKeyAndCountTheirPackets() throws Exception {
        cluster(3, key(1));
        GossipNode seed = nodes.get(0);
        InetSocketAddress seedAddr = addr(seed);
        GossipNode wrongKey = start("intruder-key", Optional.of(Keyring.of(key(2))), "prod");
        GossipNode wrongLabel = start("intruder-label", Optional.of(Keyring.of(key(1))), "test");
        GossipNode plain = start("intruder-plain", Optional.empty(), "prod");
        for (GossipNode intruder : List.of(wrongKey, wrongLabel, plain)) {
            assertEquals(0, intruder.join(List.of(seedAddr)).get(5, TimeUnit.SECONDS), intruder.name());
        }
        // The seed refused each intruder's join stream: wait for those refusals instead of a fixed time.
        assertTrue(await(() -> dropped(seed, "decrypt-failed") >= 2 && dropped(seed, "unencrypted") >= 1,
            Duration.ofSeconds(10)), "the seed counted the intruders' frames");
        for (GossipNode member : nodes.subList(0, 3)) {
            assertEquals(3, member.members().size(), "no intruder got in: " + member.members());
        }
        for (GossipNode intruder : List.of(wrongKey, wrongLabel, plain)) {
            assertEquals(1, intruder.members().size(), intruder.name() + " learnt nothing");
        }
    }

    private static long acks(GossipNode n) {
        return MetricValues.value(n.metrics(), "meshd_gossip_messages_total", "type", "ack");
    }

    /** Writes {@code key} at member {@code writer} and waits until every member holds it. */
    private void spread(int writer, String key) throws InterruptedException {
        nodes.get(writer).put("t", key, new byte[] {1});
        assertTrue(await(() -> nodes.stream().allMatch(g -> g.get("t", key).isPresent()), Duration.ofSeconds(10)),
            key + " reached every member");
    }

    /** Waits until every member has had {@code n} more acks (probes answered) than in {@code before}. */
    private void probesAnswered(long[] before, int n) throws InterruptedException {
        assertTrue(await(() -> {
            for (int i = 0; i < before.length; i++) {
                if (acks(nodes.get(i)) < before[i] + n) {
                    return false;
                }
            }
            return true;
        }, Duration.ofSeconds(10)), "probes kept being answered");
    }

    private long[] ackCounts() {
        return nodes.stream().mapToLong(EncryptedClusterTest::acks).toArray();
    }

    @Test
    void shouldRotateKeysAcrossARunningClusterWithoutDeclaringAnyoneDead() throws Exception {
        List<Keyring> rings = cluster(3, key(1));
        byte[] next = key(9);
        rings.forEach(r -> r.install(next));
        rings.get(0).use(next);
        // Member 0 now sends with the new key while the others still send with the old one: both must open.
        spread(0, "sent-with-the-new-key");
        spread(1, "sent-with-the-old-key");
        rings.forEach(r -> r.use(next));
        // Frames sealed with the old key just before the switch are delivered before two more probe rounds end.
        probesAnswered(ackCounts(), 2);
        rings.forEach(r -> r.remove(key(1)));
        long[] before = ackCounts();
        spread(2, "after-the-old-key-was-removed");
        probesAnswered(before, 5);
        // At every step each sender's key was installed at every receiver: not one frame may have been refused.
        for (GossipNode g : nodes) {
            assertEquals(0, dropped(g, "decrypt-failed"), g.name() + " refused a frame during rotation");
        }
        assertTrue(bad.isEmpty(), "nobody declared dead during rotation: " + bad);
        GossipNode stale = start("stale", Optional.of(Keyring.of(key(1))), "prod");
        assertEquals(0, stale.join(List.of(addr(nodes.get(0)))).get(5, TimeUnit.SECONDS), "old key retired");
        assertFalse(nodes.get(0).member("stale").isPresent());
        assertTrue(await(() -> dropped(nodes.get(0), "decrypt-failed") >= 1, Duration.ofSeconds(5)),
            "the stale member's join was refused as undecryptable");
    }
}
