package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.internal.GossipMetrics.Drop;
import io.meshd.gossip.internal.GossipMetrics.MessageType;
import io.meshd.gossip.internal.GossipMetrics.Traffic;
import io.meshd.gossip.security.PacketSealer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The whole receive path of a member, fed arbitrary frames as the UDP and TCP sockets deliver them (plain framing
 * with an empty label, so the fuzzer reaches the decoder and the protocol). Whatever arrives: nothing escapes, the
 * frame is either decoded (each message counted by type) or dropped and counted once, and the member list keeps its
 * invariants, also after every timer that input set off has run.
 */
class SwimReceiveFuzzTest {

    private static final InetSocketAddress FROM = new InetSocketAddress("10.0.0.9", 7946);
    private static final PacketSealer OPENER = new PacketSealer(Optional.empty(), "");

    private static InetSocketAddress addr(int i) {
        return new InetSocketAddress("10.0.0." + i, 7946);
    }

    @FuzzTest
    void shouldCountBadInputAndKeepTheMemberListConsistent(byte[] frame) {
        ManualScheduler clock = new ManualScheduler();
        Swim swim = new Swim(GossipConfig.lan().name("me").label("").build(), clock, new CapturingPeerChannel(addr(1)),
            new Random(1));
        swim.seedMembers(List.of(Member.of("a", addr(2), MemberState.ALIVE, 0),
            Member.of("b", addr(3), MemberState.ALIVE, 0)));
        swim.start();
        swim.onPacket(FROM, frame.clone());
        GossipMetrics m = swim.counters();
        assertEquals(1, m.get(Traffic.PACKETS_RECEIVED));
        int decoded = expectedMessages(frame);
        if (decoded < 0) {
            assertEquals(1, totalDrops(m), "a bad frame is dropped and counted once");
            assertEquals(0, totalMessages(m));
        } else {
            assertEquals(decoded, totalMessages(m), "every message of a good frame counted by type");
        }
        swim.onRequest(FROM, frame.clone());
        assertEquals(1, m.get(Traffic.STREAMS_RECEIVED));
        invariants(swim);
        clock.advanceMillis(60_000);
        invariants(swim);
        swim.shutdown();
    }

    /** How many messages the frame holds, or -1 if it cannot be opened or decoded. */
    private static int expectedMessages(byte[] frame) {
        if (frame.length > Wire.MAX_PACKET) {
            return -1;
        }
        Optional<byte[]> payload = OPENER.open(frame).payload();
        if (payload.isEmpty()) {
            return -1;
        }
        try {
            return MessageCodec.decodePacket(payload.get()).size();
        } catch (CodecException e) {
            return -1;
        }
    }

    private static long totalDrops(GossipMetrics m) {
        long n = 0;
        for (Drop d : Drop.values()) {
            n += m.get(d);
        }
        return n;
    }

    private static long totalMessages(GossipMetrics m) {
        long n = 0;
        for (MessageType t : MessageType.values()) {
            n += m.get(t);
        }
        // A push-pull inside a packet is counted as a drop, not as a message.
        return n + m.get(Drop.UNEXPECTED_PACKET_MESSAGE);
    }

    private static void invariants(Swim swim) {
        MemberList l = swim.memberList();
        assertEquals(MemberState.ALIVE, l.selfEntry().state(), "this member never believes itself gone");
        assertEquals(l.all().stream().filter(e -> e.state().isLive()).count(), l.liveCount(), "live count");
        int byState = 0;
        for (MemberState s : MemberState.values()) {
            assertEquals(l.all().stream().filter(e -> e.state() == s).count(), l.count(s), "count of " + s);
            byState += l.count(s);
        }
        assertEquals(l.all().size(), byState, "every member in exactly one state");
        assertTrue(swim.healthScore() >= 0, "health score");
    }
}
