package io.meshd.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The process that owns a lab, identified so that a recycled pid cannot pass for it: its pid and its start time
 * in clock ticks since boot (field 22 of {@code /proc/PID/stat}). A record written without a start time (by an
 * older harness) is matched on the pid alone.
 *
 * @param pid the owner's process id
 * @param startTicks the owner's start time, when recorded
 */
record LabOwner(long pid, OptionalLong startTicks) {

    /** The field of {@code /proc/PID/stat} that holds the start time, counted from 1 as proc(5) does. */
    private static final int START_TIME_FIELD = 22;

    /** This JVM. */
    static LabOwner current() {
        long pid = ProcessHandle.current().pid();
        return running(pid).orElseThrow(() -> new IllegalStateException("no /proc entry for this process " + pid));
    }

    /** The process running now under {@code pid}, or empty when there is none. */
    static Optional<LabOwner> running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            return Optional.of(new LabOwner(pid, OptionalLong.of(startTicksOf(stat))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Field 22 of a {@code /proc/PID/stat} line; the command name (field 2) may hold spaces and parentheses. */
    static long startTicksOf(String stat) {
        int afterName = stat.lastIndexOf(')');
        if (afterName < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        // Fields from 3 (the state) on follow the closing parenthesis of the name.
        String[] fields = stat.substring(afterName + 1).strip().split(" +");
        int index = START_TIME_FIELD - 3;
        if (fields.length <= index) {
            throw new IllegalArgumentException("/proc/PID/stat line with " + (fields.length + 2) + " fields");
        }
        return Long.parseLong(fields[index]);
    }

    /** Parses {@link #format()}'s text, or a bare pid; empty when the text is neither. */
    static Optional<LabOwner> parse(String text) {
        String[] words = text.strip().split(" ");
        try {
            long pid = Long.parseLong(words[0]);
            if (words.length == 1) {
                return Optional.of(new LabOwner(pid, OptionalLong.empty()));
            }
            if (words.length == 2) {
                return Optional.of(new LabOwner(pid, OptionalLong.of(Long.parseLong(words[1]))));
            }
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code "PID START"}, or the bare pid when the start time is unknown. */
    String format() {
        return startTicks.isPresent() ? pid + " " + startTicks.getAsLong() : Long.toString(pid);
    }

    /** Whether this very process still runs: same pid and, when known, same start time. */
    boolean isRunning() {
        return running(pid).map(now -> startTicks.isEmpty() || now.startTicks.equals(startTicks)).orElse(false);
    }
}
