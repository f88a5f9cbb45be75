package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.MemberState;
import io.meshd.gossip.Seeds;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The membership rules over random message histories, one seeded history per case. Each property is a check that
 * returns the violation it found; the mutant tests run the same checks against deliberately broken rules to show
 * that each check can fail.
 */
class MemberListPropertyTest {

    static final InetSocketAddress ADDR = new InetSocketAddress("127.0.0.1", 1);
    private static final String[] NODES = {"me", "b", "c"};
    private static final String[] SENDERS = {"me", "b", "c", "d"};

    /** One received membership message. */
    record Msg(int kind, String node, long inc, String from) {
    }

    /** The rules under test: the real {@link MemberList} or a broken variant of it. */
    interface Rules {
        MemberList.Outcome apply(Msg m, long now);

        long refute(long heard);

        MemberList list();
    }

    /** The real rules. */
    static Rules real(MemberList l) {
        return new Rules() {
            @Override
            public MemberList.Outcome apply(Msg m, long now) {
                switch (m.kind()) {
                    case 0:
                        return l.alive(m.node(), ADDR, m.inc(), now);
                    case 1:
                        return l.suspect(m.node(), m.inc(), m.from(), now);
                    default:
                        return l.dead(m.node(), m.inc(), m.from(), now);
                }
            }

            @Override
            public long refute(long heard) {
                return l.refute(heard);
            }

            @Override
            public MemberList list() {
                return l;
            }
        };
    }

    static List<Msg> history(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Msg> out = new ArrayList<>();
        int n = r.nextInt(41);
        for (int i = 0; i < n; i++) {
            out.add(new Msg(r.nextInt(3), NODES[r.nextInt(NODES.length)], r.nextLong(7),
                SENDERS[r.nextInt(SENDERS.length)]));
        }
        return out;
    }

    /** Applies a history, refuting whenever the rules say so. */
    private static long replay(Rules rules, List<Msg> history, long t) {
        for (Msg m : history) {
            if (rules.apply(m, t++) == MemberList.Outcome.REFUTE) {
                rules.refute(m.inc());
            }
        }
        return t;
    }

    static Optional<String> higherIncarnationAliveAlwaysWins(Function<MemberList, Rules> make, List<Msg> history) {
        Rules rules = make.apply(new MemberList("me", ADDR, 0));
        rules.apply(new Msg(0, "b", 0, "b"), 0);
        long t = replay(rules, history, 1);
        long top = rules.list().get("b").orElseThrow().incarnation() + 1;
        rules.apply(new Msg(0, "b", top, "b"), t);
        MemberEntry b = rules.list().get("b").orElseThrow();
        return b.state() == MemberState.ALIVE && b.incarnation() == top ? Optional.empty()
            : Optional.of("alive at " + top + " left b " + b.state() + " at " + b.incarnation());
    }

    static Optional<String> onlyTheOwnerRaisesItsIncarnation(Function<MemberList, Rules> make, List<Msg> history) {
        Rules rules = make.apply(new MemberList("me", ADDR, 0));
        Map<String, Long> maxHeard = new HashMap<>();
        long t = 1;
        for (Msg m : history) {
            maxHeard.merge(m.node(), m.inc(), Math::max);
            if (rules.apply(m, t++) == MemberList.Outcome.REFUTE) {
                long before = rules.list().selfEntry().incarnation();
                long after = rules.refute(m.inc());
                if (after <= Math.max(before, m.inc())) {
                    return Optional.of("refuting " + m + " raised the incarnation only to " + after);
                }
            }
        }
        for (MemberEntry e : rules.list().all()) {
            if (!e.name().equals("me") && e.incarnation() > maxHeard.getOrDefault(e.name(), -1L)) {
                return Optional.of(e.name() + " at " + e.incarnation() + ", above anything heard");
            }
        }
        return Optional.empty();
    }

    static Optional<String> deadIsFinalForItsIncarnation(Function<MemberList, Rules> make, List<Msg> history) {
        Rules rules = make.apply(new MemberList("me", ADDR, 0));
        rules.apply(new Msg(0, "b", 0, "b"), 0);
        rules.apply(new Msg(2, "b", 3, "c"), 1);
        long t = 2;
        for (Msg m : history) {
            rules.apply(m, t++);
            MemberEntry b = rules.list().get("b").orElseThrow();
            // Down is final for the incarnation: DEAD may only become LEFT (the member's own leave notice).
            if (b.incarnation() == 3 && b.state().isLive()) {
                return Optional.of(m + " turned dead b at 3 into " + b.state());
            }
        }
        return Optional.empty();
    }

    static Optional<String> countsMatchTheStates(Function<MemberList, Rules> make, List<Msg> history) {
        Rules rules = make.apply(new MemberList("me", ADDR, 0));
        replay(rules, history, 1);
        MemberList l = rules.list();
        long live = l.all().stream().filter(e -> e.state().isLive()).count();
        if (live != l.liveCount()) {
            return Optional.of("liveCount " + l.liveCount() + ", live entries " + live);
        }
        for (MemberState s : MemberState.values()) {
            long n = l.all().stream().filter(e -> e.state() == s).count();
            if (n != l.count(s)) {
                return Optional.of("count(" + s + ") " + l.count(s) + ", entries " + n);
            }
        }
        return Optional.empty();
    }

    private static void holds(BiFunction<Function<MemberList, Rules>, List<Msg>, Optional<String>> property,
                              long seed) {
        Optional<String> violation = property.apply(MemberListPropertyTest::real, history(seed));
        assertEquals(Optional.empty(), violation, Seeds.replay(seed));
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void higherIncarnationAliveAlwaysWins(long seed) {
        holds(MemberListPropertyTest::higherIncarnationAliveAlwaysWins, seed);
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void onlyTheOwnerRaisesItsIncarnation(long seed) {
        holds(MemberListPropertyTest::onlyTheOwnerRaisesItsIncarnation, seed);
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void deadIsFinalForItsIncarnation(long seed) {
        holds(MemberListPropertyTest::deadIsFinalForItsIncarnation, seed);
    }

    @ParameterizedTest
    @MethodSource("io.meshd.gossip.Seeds#seeds")
    void liveCountAndCountsByStateMatchTheStates(long seed) {
        holds(MemberListPropertyTest::countsMatchTheStates, seed);
    }

    // ---- each check fails against a broken variant of the rules ----

    /** True if the check reports a violation for some seed when run against {@code broken}. */
    private static boolean catches(BiFunction<Function<MemberList, Rules>, List<Msg>, Optional<String>> property,
                                   Function<MemberList, Rules> broken) {
        return Seeds.seeds().anyMatch(seed -> property.apply(broken, history(seed)).isPresent());
    }

    /** Rules that forget a member whenever it is suspected, so an alive at any incarnation brings it back. */
    private static Rules forgetsSuspects(MemberList l) {
        Rules real = real(l);
        return new Rules() {
            @Override
            public MemberList.Outcome apply(Msg m, long now) {
                if (m.kind() != 0 && !m.node().equals("me")) {
                    l.remove(m.node());
                    return l.alive(m.node(), ADDR, 0, now);
                }
                return real.apply(m, now);
            }

            @Override
            public long refute(long heard) {
                return real.refute(heard);
            }

            @Override
            public MemberList list() {
                return l;
            }
        };
    }

    /** Rules whose refutation does not raise the incarnation. */
    private static Rules lazyRefuter(MemberList l) {
        Rules real = real(l);
        return new Rules() {
            @Override
            public MemberList.Outcome apply(Msg m, long now) {
                return real.apply(m, now);
            }

            @Override
            public long refute(long heard) {
                return l.selfEntry().incarnation();
            }

            @Override
            public MemberList list() {
                return l;
            }
        };
    }

    /** Rules that take every alive message at face value, raising incarnations past what was heard. */
    private static Rules inflatesIncarnations(MemberList l) {
        Rules real = real(l);
        return new Rules() {
            @Override
            public MemberList.Outcome apply(Msg m, long now) {
                if (m.kind() == 0 && !m.node().equals("me")) {
                    return l.alive(m.node(), ADDR, m.inc() + 1, now);
                }
                return real.apply(m, now);
            }

            @Override
            public long refute(long heard) {
                return real.refute(heard);
            }

            @Override
            public MemberList list() {
                return l;
            }
        };
    }

    @Test
    void shouldCatchRulesThatReviveTheDeadAtTheSameIncarnation() {
        assertTrue(catches(MemberListPropertyTest::deadIsFinalForItsIncarnation,
            MemberListPropertyTest::forgetsSuspects));
    }

    @Test
    void shouldCatchARefutationThatDoesNotRaiseTheIncarnation() {
        assertTrue(catches(MemberListPropertyTest::onlyTheOwnerRaisesItsIncarnation,
            MemberListPropertyTest::lazyRefuter));
    }

    @Test
    void shouldCatchIncarnationsRaisedByAnyoneButTheOwner() {
        assertTrue(catches(MemberListPropertyTest::onlyTheOwnerRaisesItsIncarnation,
            MemberListPropertyTest::inflatesIncarnations));
    }

    @Test
    void shouldCatchAnAliveThatDoesNotWin() {
        // Rules that ignore every alive above incarnation 0.
        Function<MemberList, Rules> ignoresAlive = l -> new Rules() {
            @Override
            public MemberList.Outcome apply(Msg m, long now) {
                return m.kind() == 0 && m.inc() > 0 ? MemberList.Outcome.IGNORED : real(l).apply(m, now);
            }

            @Override
            public long refute(long heard) {
                return l.refute(heard);
            }

            @Override
            public MemberList list() {
                return l;
            }
        };
        assertTrue(catches(MemberListPropertyTest::higherIncarnationAliveAlwaysWins, ignoresAlive));
    }

    @Test
    void shouldCatchCountsThatDriftFromTheStates() {
        // The counts live inside MemberList; a history applied behind its back (state set on the entry directly)
        // is the drift the check must notice.
        Function<MemberList, Rules> bypasses = l -> new Rules() {
            @Override
            public MemberList.Outcome apply(Msg m, long now) {
                MemberList.Outcome o = real(l).apply(m, now);
                l.get(m.node()).ifPresent(e -> {
                    if (m.kind() == 2 && !m.node().equals("me")) {
                        e.state = MemberState.ALIVE;
                    }
                });
                return o;
            }

            @Override
            public long refute(long heard) {
                return l.refute(heard);
            }

            @Override
            public MemberList list() {
                return l;
            }
        };
        assertTrue(catches(MemberListPropertyTest::countsMatchTheStates, bypasses));
    }
}
