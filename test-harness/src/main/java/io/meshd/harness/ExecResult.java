package io.meshd.harness;

import java.util.List;

/** What a command run in a lab host did: its exit code and both output streams. */
public final class ExecResult {

    private final List<String> command;
    private final int exitCode;
    private final String stdout;
    private final String stderr;

    ExecResult(List<String> command, int exitCode, String stdout, String stderr) {
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The command line as run (including {@code ip netns exec NS} when run inside a host). */
    public List<String> command() {
        return command;
    }

    /** The exit code; -1 when the command was killed at its timeout. */
    public int exitCode() {
        return exitCode;
    }

    /** Everything the command wrote to standard output. */
    public String stdout() {
        return stdout;
    }

    /** Everything the command wrote to standard error. */
    public String stderr() {
        return stderr;
    }

    /** Whether the command exited with 0. */
    public boolean ok() {
        return exitCode == 0;
    }

    /** Throws an {@link AssertionError} carrying the command and its output unless it exited with 0. */
    public ExecResult requireOk() {
        if (!ok()) {
            throw new AssertionError(this);
        }
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " exited " + exitCode
            + (stdout.isEmpty() ? "" : "\n--- stdout\n" + stdout)
            + (stderr.isEmpty() ? "" : "\n--- stderr\n" + stderr);
    }
}
