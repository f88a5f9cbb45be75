package io.meshd.gossip.internal;

import io.meshd.gossip.MemberState;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MemberListPropertyTest {

    static final InetSocketAddress ADDR = new InetSocketAddress("127.0.0.1", 1);

    /** One received membership message. */
    record Msg(int kind, String node, long inc, String from) {
    }

    @Provide
    Arbitrary<List<Msg>> messages() {
        Arbitrary<Msg> one = Combinators.combine(Arbitraries.integers().between(0, 2),
            Arbitraries.of("me", "b", "c"), Arbitraries.longs().between(0, 6), Arbitraries.of("me", "b", "c", "d"))
            .as(Msg::new);
        return one.list().ofMaxSize(40);
    }

    private static MemberList.Outcome apply(MemberList l, Msg m, long now) {
        switch (m.kind()) {
            case 0:
                return l.alive(m.node(), ADDR, m.inc(), now);
            case 1:
                return l.suspect(m.node(), m.inc(), m.from(), now);
            default:
                return l.dead(m.node(), m.inc(), m.from(), now);
        }
    }

    @Property
    boolean higherIncarnationAliveAlwaysWins(@ForAll("messages") List<Msg> history) {
        MemberList l = new MemberList("me", ADDR, 0);
        l.alive("b", ADDR, 0, 0);
        long t = 1;
        for (Msg m : history) {
            if (apply(l, m, t++) == MemberList.Outcome.REFUTE) {
                l.refute(m.inc());
            }
        }
        long top = l.get("b").orElseThrow().incarnation() + 1;
        l.alive("b", ADDR, top, t);
        return l.get("b").orElseThrow().state() == MemberState.ALIVE
            && l.get("b").orElseThrow().incarnation() == top;
    }

    @Property
    boolean onlyTheOwnerRaisesItsIncarnation(@ForAll("messages") List<Msg> history) {
        MemberList l = new MemberList("me", ADDR, 0);
        Map<String, Long> maxHeard = new HashMap<>();
        long t = 1;
        for (Msg m : history) {
            maxHeard.merge(m.node(), m.inc(), Math::max);
            if (apply(l, m, t++) == MemberList.Outcome.REFUTE) {
                long before = l.selfEntry().incarnation();
                if (l.refute(m.inc()) <= Math.max(before, m.inc())) {
                    return false;
                }
            }
        }
        for (MemberEntry e : l.all()) {
            if (!e.name().equals("me") && e.incarnation() > maxHeard.getOrDefault(e.name(), -1L)) {
                return false;
            }
        }
        return true;
    }

    @Property
    boolean deadIsFinalForItsIncarnation(@ForAll("messages") List<Msg> history) {
        MemberList l = new MemberList("me", ADDR, 0);
        l.alive("b", ADDR, 0, 0);
        l.dead("b", 3, "c", 1);
        long t = 2;
        for (Msg m : history) {
            apply(l, m, t++);
            MemberEntry b = l.get("b").orElseThrow();
            if (b.incarnation() == 3 && b.state() != MemberState.DEAD) {
                return false;
            }
        }
        return true;
    }

    @Property
    boolean liveCountMatchesTheStates(@ForAll("messages") List<Msg> history) {
        MemberList l = new MemberList("me", ADDR, 0);
        long t = 1;
        for (Msg m : history) {
            if (apply(l, m, t++) == MemberList.Outcome.REFUTE) {
                l.refute(m.inc());
            }
        }
        long live = l.all().stream().filter(e -> e.state().isLive()).count();
        return live == l.liveCount();
    }
}
