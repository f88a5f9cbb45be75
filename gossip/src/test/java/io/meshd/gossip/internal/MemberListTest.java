package io.meshd.gossip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.MemberState;
import io.meshd.gossip.internal.MemberList.Outcome;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class MemberListTest {

    static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 1000);
    static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 2000);
    private final MemberList list = new MemberList("me", A, 0);

    private MemberState state(String n) {
        return list.get(n).orElseThrow().state();
    }

    @Test
    void shouldAddUnknownAliveMember() {
        assertEquals(Outcome.CHANGED, list.alive("b", B, 3, 1));
        assertEquals(MemberState.ALIVE, state("b"));
        assertEquals(3, list.get("b").orElseThrow().incarnation());
        assertEquals(2, list.liveCount());
    }

    @Test
    void shouldIgnoreAliveAtSameOrLowerIncarnation() {
        list.alive("b", B, 3, 1);
        assertEquals(Outcome.IGNORED, list.alive("b", B, 3, 2));
        assertEquals(Outcome.IGNORED, list.alive("b", B, 2, 2));
    }

    @Test
    void shouldSuspectAliveMemberAndConfirmRepeatedSuspicion() {
        list.alive("b", B, 3, 1);
        assertEquals(Outcome.CHANGED, list.suspect("b", 3, "c", 2));
        assertEquals(MemberState.SUSPECT, state("b"));
        assertEquals(Outcome.CONFIRMED, list.suspect("b", 3, "d", 3));
    }

    @Test
    void shouldTreatSuspicionOfANewerIncarnationAsANewSuspicion() {
        list.alive("b", B, 3, 1);
        list.suspect("b", 3, "c", 2);
        assertEquals(Outcome.CHANGED, list.suspect("b", 4, "d", 5));
        assertEquals(4, list.get("b").orElseThrow().incarnation());
        assertEquals(5, list.get("b").orElseThrow().stateChangeNanos());
        assertEquals(Outcome.CONFIRMED, list.suspect("b", 4, "e", 6));
    }

    @Test
    void shouldIgnoreStaleSuspicionAndSuspicionOfUnknownMember() {
        list.alive("b", B, 3, 1);
        assertEquals(Outcome.IGNORED, list.suspect("b", 2, "c", 2));
        assertEquals(Outcome.IGNORED, list.suspect("x", 9, "c", 2));
        assertEquals(MemberState.ALIVE, state("b"));
    }

    @Test
    void shouldClearSuspicionWithHigherIncarnationAlive() {
        list.alive("b", B, 3, 1);
        list.suspect("b", 3, "c", 2);
        assertEquals(Outcome.IGNORED, list.alive("b", B, 3, 3));
        assertEquals(Outcome.CHANGED, list.alive("b", B, 4, 3));
        assertEquals(MemberState.ALIVE, state("b"));
    }

    @Test
    void shouldDeclareDeadAndKeepDeadFinalForTheIncarnation() {
        list.alive("b", B, 3, 1);
        assertEquals(Outcome.CHANGED, list.dead("b", 3, "c", 2));
        assertEquals(MemberState.DEAD, state("b"));
        assertEquals(1, list.liveCount());
        assertEquals(Outcome.IGNORED, list.alive("b", B, 3, 3));
        assertEquals(Outcome.IGNORED, list.suspect("b", 3, "c", 3));
        assertEquals(Outcome.IGNORED, list.dead("b", 3, "d", 3));
        assertEquals(Outcome.CHANGED, list.alive("b", B, 4, 4));
        assertEquals(MemberState.ALIVE, state("b"));
    }

    @Test
    void shouldMarkLeftWhenTheMemberAnnouncesItsOwnDeath() {
        list.alive("b", B, 3, 1);
        assertEquals(Outcome.CHANGED, list.dead("b", 3, "b", 2));
        assertEquals(MemberState.LEFT, state("b"));
    }

    @Test
    void shouldTurnDeadIntoLeftWhenTheMembersOwnLeaveNoticeArrivesLate() {
        list.alive("b", B, 3, 1);
        assertEquals(Outcome.CHANGED, list.dead("b", 3, "c", 2));
        assertEquals(Outcome.CHANGED, list.dead("b", 3, "b", 3), "its own notice at the same incarnation");
        assertEquals(MemberState.LEFT, state("b"));
        assertEquals(Outcome.IGNORED, list.dead("b", 3, "c", 4), "left stays left");
        assertEquals(MemberState.LEFT, state("b"));
        assertEquals(1, list.liveCount());
    }

    @Test
    void shouldAskForRefutationWhenSuspectedOrDeclaredDead() {
        assertEquals(Outcome.REFUTE, list.suspect("me", 0, "c", 1));
        assertEquals(Outcome.REFUTE, list.dead("me", 0, "c", 1));
        assertEquals(MemberState.ALIVE, state("me"));
        assertEquals(1, list.refute(0));
        assertEquals(Outcome.IGNORED, list.suspect("me", 0, "c", 1), "stale suspicion after refutation");
    }

    @Test
    void shouldRefuteAboveAnIncarnationLearntFromAnEarlierLife() {
        assertEquals(Outcome.REFUTE, list.alive("me", A, 7, 1));
        assertEquals(8, list.refute(7));
        assertEquals(8, list.selfEntry().incarnation());
    }

    @Test
    void shouldNotRefuteOwnLeaveOrAfterLeaving() {
        list.leave(1);
        assertEquals(Outcome.IGNORED, list.dead("me", 0, "me", 2));
        assertEquals(Outcome.IGNORED, list.suspect("me", 0, "c", 2));
        assertEquals(MemberState.LEFT, state("me"));
    }

    @Test
    void shouldForgetRemovedMembersButNeverItself() {
        list.alive("b", B, 1, 1);
        list.remove("b");
        list.remove("me");
        assertTrue(list.get("b").isEmpty());
        assertTrue(list.get("me").isPresent());
        assertEquals(1, list.liveCount());
    }
}
