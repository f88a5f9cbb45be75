package io.meshd.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A lab's owner is its pid and start time: a recycled pid does not pass for it. */
class LabOwnerTest {

    @Test
    void shouldReadTheStartTimeEvenWhenTheCommandNameHoldsSpacesAndParentheses() {
        StringBuilder stat = new StringBuilder("4242 (a) b (c) S");
        for (int field = 4; field <= 52; field++) {
            stat.append(' ').append(field == 22 ? 987654 : field);
        }
        assertEquals(987654, LabOwner.startTicksOf(stat.toString()));
        assertThrows(IllegalArgumentException.class, () -> LabOwner.startTicksOf("4242 (short) S 1 2"));
    }

    @Test
    void shouldSeeThisProcessRunningButNotAnImpostorWithItsPidAndAnotherStartTime() {
        LabOwner me = LabOwner.current();
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertTrue(me.isRunning());
        LabOwner recycled = new LabOwner(me.pid(), OptionalLong.of(me.startTicks().getAsLong() + 1));
        assertFalse(recycled.isRunning(), "same pid, other start time: another process");
    }

    @Test
    void shouldSeeAnExitedProcessAsGone() throws Exception {
        Process child = new ProcessBuilder("true").start();
        LabOwner owner = new LabOwner(child.pid(), OptionalLong.of(0));
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertFalse(owner.isRunning());
    }

    @Test
    void shouldParseWhatItFormatsAndBarePidsOfOlderRecords() {
        LabOwner me = LabOwner.current();
        assertEquals(Optional.of(me), LabOwner.parse(me.format()));
        assertEquals(Optional.of(new LabOwner(17, OptionalLong.empty())), LabOwner.parse("17\n"));
        assertTrue(new LabOwner(me.pid(), OptionalLong.empty()).isRunning(), "a bare pid matches on the pid");
        assertEquals(Optional.empty(), LabOwner.parse(""));
        assertEquals(Optional.empty(), LabOwner.parse("mlabcdea"));
        assertEquals(Optional.empty(), LabOwner.parse("1 2 3"));
    }
}
