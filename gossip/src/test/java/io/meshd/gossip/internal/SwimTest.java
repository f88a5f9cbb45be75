package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.internal.Message.Alive;
import io.meshd.gossip.internal.Message.IndirectPing;
import io.meshd.gossip.internal.Message.Ping;
import io.meshd.gossip.internal.Message.Suspect;
import io.meshd.gossip.internal.Message.TableUpdate;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The protocol core driven by an injected clock and a channel that only records. */
class SwimTest {

    private static InetSocketAddress addr(int i) {
        return new InetSocketAddress("10.0.0." + i, 7946);
    }

    private final ManualScheduler clock = new ManualScheduler();
    private final CapturingPeerChannel channel = new CapturingPeerChannel(addr(1));
    private final Swim swim = new Swim(GossipConfig.lan().name("me").tcpFallbackProbe(false).build(), clock,
        channel, new Random(1));

    private void withMembers(String... names) {
        List<Member> ms = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            ms.add(Member.of(names[i], addr(i + 2), MemberState.ALIVE, 0));
        }
        swim.seedMembers(ms);
        swim.start();
    }

    private List<Message> sentTo(InetSocketAddress to) {
        List<Message> out = new ArrayList<>();
        for (CapturingPeerChannel.Sent s : channel.sent) {
            if (s.to().equals(to)) {
                out.addAll(decode(s.frame()));
            }
        }
        return out;
    }

    private static List<Message> decode(byte[] frame) {
        try {
            return MessageCodec.decodePacket(java.util.Arrays.copyOfRange(frame, 2, frame.length));
        } catch (CodecException e) {
            throw new AssertionError(e);
        }
    }

    private void receive(InetSocketAddress from, Message... ms) {
        List<byte[]> parts = new ArrayList<>();
        for (Message m : ms) {
            parts.add(MessageCodec.part(m));
        }
        byte[] payload = MessageCodec.packet(parts);
        byte[] frame = new byte[payload.length + 2];
        System.arraycopy(payload, 0, frame, 2, payload.length);
        swim.onPacket(from, frame);
    }

    private MemberState state(String name) {
        return swim.memberList().get(name).orElseThrow().state();
    }

    @Test
    void shouldProbeThenAskOthersThenSuspectThenDeclareDead() {
        withMembers("a", "b");
        Ping ping = null;
        while (ping == null) {
            clock.advanceMillis(10);
            ping = channel.sent.stream().flatMap(s -> decode(s.frame()).stream())
                .filter(m -> m instanceof Ping).map(m -> (Ping) m).findFirst().orElse(null);
        }
        String target = ping.target();
        String other = target.equals("a") ? "b" : "a";
        InetSocketAddress otherAddr = swim.memberList().get(other).orElseThrow().address();
        clock.advanceMillis(510);
        assertTrue(sentTo(otherAddr).stream().anyMatch(m -> m instanceof IndirectPing ip
            && ip.target().equals(target) && ip.wantNack()), "indirect probe through the other member");
        assertEquals(MemberState.ALIVE, state(target));
        clock.advanceMillis(500);
        assertEquals(MemberState.SUSPECT, state(target), "no ack, no nack by the end of the interval");
        assertEquals(1, swim.healthScore(), "a missing nack counts against this member's own health");
        // 3 members: too few for confirmations (n - 2 < SuspicionMult - 2), so the minimum: 4 * 1 * 1 s.
        clock.advanceMillis(3_000);
        assertEquals(MemberState.SUSPECT, state(target));
        clock.advanceMillis(2_000);
        assertEquals(MemberState.DEAD, state(target));
    }

    @Test
    void shouldStayAliveWhenTheTargetAcksInTime() {
        withMembers("a");
        clock.advanceMillis(1000);
        Ping ping = sentTo(addr(2)).stream().filter(m -> m instanceof Ping).map(m -> (Ping) m).findFirst()
            .orElseThrow();
        receive(addr(2), new Message.Ack(ping.seq()));
        clock.advanceMillis(1000);
        assertEquals(MemberState.ALIVE, state("a"));
        assertEquals(0, swim.healthScore());
    }

    @Test
    void shouldRefuteASuspicionOfItselfAndRaiseItsHealthScore() {
        withMembers("a");
        receive(addr(2), new Suspect("me", 0, "a"));
        assertEquals(1, swim.memberList().selfEntry().incarnation());
        assertEquals(1, swim.healthScore());
        clock.advanceMillis(1000);
        assertTrue(sentTo(addr(2)).stream().anyMatch(m -> m.equals(new Alive("me", addr(1), 1))),
            "the refutation is gossiped");
    }

    @Test
    void shouldAnswerAStaleSuspicionWithTheNewerAliveState() {
        withMembers("a", "b");
        receive(addr(3), new Alive("a", addr(2), 2));
        channel.sent.clear();
        receive(addr(3), new Suspect("a", 1, "b"));
        assertEquals(MemberState.ALIVE, state("a"));
        assertTrue(sentTo(addr(3)).contains(new Alive("a", addr(2), 2)), "straggler corrected directly");
    }

    @Test
    void shouldGiveTableUpdatesRoomEvenWhenMembershipNewsFillsThePacket() {
        withMembers("a");
        List<Message> joins = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            joins.add(new Alive("member-with-a-long-name-" + i, addr(100 + i % 100), 1));
        }
        for (int i = 0; i < joins.size(); i += 40) {
            receive(addr(2), joins.subList(i, i + 40).toArray(new Message[0]));
        }
        swim.put("services", "web", new byte[] {1});
        clock.advanceMillis(300);
        List<Message> first = decode(channel.sent.get(0).frame());
        assertTrue(first.stream().anyMatch(m -> m instanceof TableUpdate), "table update in the first packet");
        assertTrue(first.stream().filter(m -> m instanceof Alive).count() > 10, "and membership news");
        assertTrue(channel.sent.get(0).frame().length <= 1400);
    }

    @Test
    void shouldDropAndCountGarbageWithoutThrowing() {
        withMembers();
        swim.onPacket(addr(9), new byte[] {0, 0, 1, 1, 0, 1, 42});
        swim.onPacket(addr(9), new byte[] {7});
        swim.onPacket(addr(9), new byte[] {0, 3, 'x', 'y', 'z', 1});
        assertEquals(1, swim.counters().get(GossipMetrics.Drop.MALFORMED_BAD_TYPE));
        assertEquals(1, swim.counters().get(GossipMetrics.Drop.TRUNCATED));
        assertEquals(1, swim.counters().get(GossipMetrics.Drop.LABEL_MISMATCH));
        assertEquals(0, swim.onRequest(addr(9), new byte[] {0, 0, 9}).length);
    }

    @Test
    void shouldHideAndRestoreEntriesWithTheirOwner() {
        withMembers("a");
        receive(addr(2), new TableUpdate("t", "k", "a", 1, false, new byte[] {5}));
        assertTrue(swim.tables().get("t", "k").isPresent());
        receive(addr(2), new Message.Dead("a", 0, "b"));
        assertEquals(Optional.empty(), swim.tables().get("t", "k"));
        receive(addr(2), new Alive("a", addr(2), 1));
        assertTrue(swim.tables().get("t", "k").isPresent());
    }

    @Test
    void shouldSendTheLeaveNoticeStraightToEveryLiveMember() {
        withMembers("a", "b", "c");
        receive(addr(2), new Message.Dead("c", 0, "a"));
        channel.sent.clear();
        swim.leave();
        Message.Dead notice = new Message.Dead("me", 0, "me");
        assertTrue(sentTo(addr(2)).contains(notice), "to a");
        assertTrue(sentTo(addr(3)).contains(notice), "to b");
        assertEquals(List.of(), sentTo(addr(4)), "not to c, already dead");
    }

    @Test
    void shouldRejectEntriesTooLargeForOnePacket() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> swim.put("t", "k", new byte[2000]));
    }
}
