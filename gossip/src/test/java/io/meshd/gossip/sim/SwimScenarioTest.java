package io.meshd.gossip.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.GossipNode;
import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.MetricValues;
import io.meshd.gossip.TableEvent;
import io.meshd.gossip.TestConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** State transitions of the real protocol on the simulator's virtual clock (fast test settings). */
class SwimScenarioTest {

    record Change(long at, String observer, Member member) {
    }

    private final SimNetwork net = SimNetwork.create(11);
    private final List<Change> changes = new ArrayList<>();
    private final List<SimNode> nodes = new ArrayList<>();

    private void cluster(int n) {
        for (int i = 0; i < n; i++) {
            SimNode node = net.addNode(TestConfigs.fast().name("n" + i).build());
            nodes.add(node);
        }
        List<Member> all = new ArrayList<>();
        for (SimNode s : nodes) {
            all.add(Member.of(s.name(), s.address(), MemberState.ALIVE, 0));
        }
        for (SimNode s : nodes) {
            s.gossip().seedMembers(all);
            listen(s);
        }
    }

    private void listen(SimNode s) {
        s.gossip().addMembershipListener(m -> changes.add(new Change(net.nanoTime(), s.name(), m)));
    }

    private MemberState state(int observer, int member) {
        return view(observer, member).state();
    }

    private Member view(int observer, int member) {
        return nodes.get(observer).gossip().member("n" + member).orElseThrow();
    }

    private Optional<Change> first(String observer, String member, MemberState s, long after) {
        return changes.stream().filter(c -> c.observer.equals(observer) && c.member.name().equals(member)
            && c.member.state() == s && c.at >= after).findFirst();
    }

    private boolean anyDead() {
        return changes.stream().anyMatch(c -> c.member.state() == MemberState.DEAD);
    }

    @Test
    void shouldSuspectACrashedMemberThenDeclareItDeadAfterTheSuspicionTimeout() {
        cluster(3);
        net.runFor(Duration.ofSeconds(2));
        long crash = net.nanoTime();
        net.crash(nodes.get(2));
        net.runFor(Duration.ofSeconds(8));
        long suspect = first("n0", "n2", MemberState.SUSPECT, crash).orElseThrow().at;
        long dead = first("n0", "n2", MemberState.DEAD, crash).orElseThrow().at;
        // Suspected within a couple of probe rounds of 3 members (200 ms each), not sooner than one timeout.
        assertTrue(suspect - crash >= Duration.ofMillis(100).toNanos(), "suspected too early");
        assertTrue(suspect - crash <= Duration.ofMillis(1600).toNanos(), "suspected after " + (suspect - crash));
        // Suspicion lasts between the minimum (3 * 0.2 s) and the maximum (6x), minus the time it arrived late.
        long suspicion = dead - first("n0", "n2", MemberState.SUSPECT, crash).orElseThrow().at;
        assertTrue(suspicion <= Duration.ofMillis(3600).toNanos(), "suspicion took " + suspicion);
        assertTrue(dead - crash >= Duration.ofMillis(600).toNanos());
        assertEquals(MemberState.DEAD, state(1, 2));
    }

    private long events(int node, String event) {
        return MetricValues.value(nodes.get(node).gossip().metrics(), "meshd_gossip_events_total", "event", event);
    }

    private boolean everSuspected(String observer, String member) {
        return first(observer, member, MemberState.SUSPECT, 0).isPresent();
    }

    /**
     * The three cases below each cut or slow the direct path between n0 and n1 while n2 reaches both: every failed
     * direct probe must be rescued by an indirect one within the same probe interval, so neither is ever suspected,
     * nobody needs to refute (incarnations stay 0), and the indirect probes that did the rescuing are counted.
     */
    private void assertRescuedByIndirectProbes() {
        assertFalse(everSuspected("n0", "n1"), "n1 never suspected by n0: " + changes);
        assertFalse(everSuspected("n1", "n0"), "n0 never suspected by n1: " + changes);
        assertEquals(List.of(), changes, "no membership change at all");
        for (int observer = 0; observer < 3; observer++) {
            for (int member = 0; member < 3; member++) {
                assertEquals(MemberState.ALIVE, state(observer, member));
                assertEquals(0, view(observer, member).incarnation(), "no refutation was needed");
            }
        }
        // n0 probes n1 about every other 200 ms round over 20 s; every such probe went indirect.
        assertTrue(events(0, "indirect-probe") >= 20, "indirect probes by n0: " + events(0, "indirect-probe"));
        assertEquals(0, events(0, "failed-probe"), "and every one of them got an ack in time");
    }

    @Test
    void shouldKeepAMemberAliveWhenOnlyIndirectProbesReachIt() {
        cluster(3);
        net.partition(List.of(nodes.get(0)), List.of(nodes.get(1)));
        net.runFor(Duration.ofSeconds(20));
        assertRescuedByIndirectProbes();
    }

    @Test
    void shouldNotDeclareAMemberBehindASlowLinkDead() {
        cluster(3);
        // 300 ms each way: every direct probe between n0 and n1 misses its 100 ms timeout.
        net.linkDelay(nodes.get(0), nodes.get(1), Duration.ofMillis(300));
        net.linkDelay(nodes.get(1), nodes.get(0), Duration.ofMillis(300));
        net.runFor(Duration.ofSeconds(20));
        assertRescuedByIndirectProbes();
    }

    @Test
    void shouldSurviveAOneWayPartition() {
        cluster(3);
        net.partitionOneWay(nodes.get(0), nodes.get(1));
        net.runFor(Duration.ofSeconds(20));
        assertRescuedByIndirectProbes();
    }

    @Test
    void shouldRefuteASuspicionAfterAShortPause() {
        cluster(3);
        net.runFor(Duration.ofSeconds(1));
        long pause = net.nanoTime();
        long resume = pause + Duration.ofMillis(700).toNanos();
        net.pause(nodes.get(1), Duration.ofMillis(700));
        net.runFor(Duration.ofSeconds(6));
        // 700 ms is over three probe intervals: someone probes n1 and suspects it while it is paused.
        long suspected = changes.stream().filter(c -> c.member.name().equals("n1")
            && c.member.state() == MemberState.SUSPECT && c.at >= pause).mapToLong(Change::at).min().orElseThrow();
        assertTrue(suspected < resume, "suspected during the pause, at +" + (suspected - pause) / 1_000_000 + " ms");
        // The suspicion lasts at least its minimum (3 · 0.2 s), so n1 resumes in time to refute it: everyone then
        // holds it alive at exactly incarnation 1 (one refutation), nobody died, and the suspect was n1 only.
        long minSuspicion = Duration.ofMillis(600).toNanos();
        for (String observer : List.of("n0", "n2")) {
            Change back = changes.stream().filter(c -> c.observer.equals(observer) && c.member.name().equals("n1")
                && c.member.state() == MemberState.ALIVE && c.member.incarnation() == 1).findFirst().orElseThrow();
            assertTrue(back.at >= resume && back.at <= suspected + 6 * minSuspicion,
                observer + " saw the refutation at +" + (back.at - pause) / 1_000_000 + " ms");
        }
        assertFalse(anyDead(), "refuted in time: " + changes);
        assertTrue(changes.stream().filter(c -> c.member.state() == MemberState.SUSPECT)
            .allMatch(c -> c.member.name().equals("n1")), "only n1 was suspected: " + changes);
        for (int observer = 0; observer < 3; observer++) {
            assertEquals(MemberState.ALIVE, state(observer, 1));
            assertEquals(1, view(observer, 1).incarnation());
        }
    }

    @Test
    void shouldComeBackAliveAfterAPauseLongerThanTheSuspicionTimeout() {
        cluster(3);
        net.pause(nodes.get(1), Duration.ofSeconds(8));
        net.runFor(Duration.ofSeconds(7));
        assertEquals(MemberState.DEAD, state(0, 1));
        net.runFor(Duration.ofSeconds(6));
        assertEquals(MemberState.ALIVE, state(0, 1));
        assertEquals(MemberState.ALIVE, state(2, 1));
        assertEquals(MemberState.ALIVE, state(1, 0));
    }

    @Test
    void shouldRestartWithTheSameIdentityAHigherIncarnationAndItsEntriesRestored() {
        cluster(3);
        List<TableEvent> events = new ArrayList<>();
        nodes.get(0).gossip().addTableListener(events::add);
        nodes.get(2).gossip().put("endpoints", "db", new byte[] {2});
        net.runFor(Duration.ofSeconds(2));
        assertTrue(nodes.get(0).gossip().get("endpoints", "db").isPresent());
        net.crash(nodes.get(2));
        net.runFor(Duration.ofSeconds(6));
        assertEquals(MemberState.DEAD, state(0, 2));
        assertTrue(nodes.get(0).gossip().get("endpoints", "db").isEmpty(), "hidden while its owner is dead");
        net.restart(nodes.get(2));
        listen(nodes.get(2));
        // No join call: the survivors' reconnect loop finds the restarted member at its old address.
        net.runFor(Duration.ofSeconds(5));
        assertEquals(MemberState.ALIVE, state(0, 2));
        assertTrue(view(0, 2).incarnation() >= 1, "came back above its old incarnation");
        assertEquals(MemberState.ALIVE, state(2, 0));
        assertTrue(nodes.get(0).gossip().get("endpoints", "db").isPresent(), "entry restored");
        assertEquals(List.of(TableEvent.Kind.PUT, TableEvent.Kind.HIDDEN, TableEvent.Kind.RESTORED),
            events.stream().map(TableEvent::kind).toList());
    }

    @Test
    void shouldHealATwoWayPartitionAndConvergeTables() {
        cluster(5);
        List<SimNode> left = nodes.subList(0, 2);
        List<SimNode> right = nodes.subList(2, 5);
        net.partition(left, right);
        net.runFor(Duration.ofSeconds(10));
        assertEquals(MemberState.DEAD, state(0, 3));
        assertEquals(MemberState.DEAD, state(4, 1));
        nodes.get(0).gossip().put("services", "left", new byte[] {1});
        nodes.get(4).gossip().put("services", "right", new byte[] {2});
        net.runFor(Duration.ofSeconds(2));
        net.heal();
        boolean merged = net.runUntil(() -> {
            for (SimNode o : nodes) {
                GossipNode g = o.gossip();
                if (g.members().stream().anyMatch(m -> m.state() != MemberState.ALIVE)
                    || g.entries("services").size() != 2) {
                    return false;
                }
            }
            return true;
        }, Duration.ofMillis(100), Duration.ofSeconds(30));
        assertTrue(merged, "halves merged and tables converged");
        net.runFor(Duration.ofSeconds(10));
        for (SimNode o : nodes) {
            assertEquals(5, o.gossip().members().stream().filter(m -> m.state() == MemberState.ALIVE).count(),
                "no lasting split at " + o.name());
        }
    }

    @Test
    void shouldRaiseOnlyTheLocalHealthScoreOfAMemberThatCannotSend() {
        cluster(3);
        for (SimNode other : nodes.subList(1, 3)) {
            net.linkLoss(nodes.get(0), other, 1.0);
        }
        net.runFor(Duration.ofSeconds(2));
        assertTrue(nodes.get(0).gossip().healthScore() > 0, "the isolated sender knows it is unhealthy");
        assertEquals(0, nodes.get(1).gossip().healthScore(), "nacks tell the others they are fine");
    }
}
