package io.meshd.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A background process running inside a lab host; its output goes to a log file. Killed when the lab closes. */
public final class LabProcess {

    private final List<String> command;
    private final Process process;
    private final Path log;

    LabProcess(List<String> command, Process process, Path log) {
        this.command = List.copyOf(command);
        this.process = process;
        this.log = log;
    }

    /** The command line as started. */
    public List<String> command() {
        return command;
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything it wrote so far to standard output and standard error (interleaved). */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The underlying process, e.g. for {@code waitFor}. */
    public Process process() {
        return process;
    }

    /** Terminates it and its children: SIGTERM, then SIGKILL after two seconds. Idempotent. */
    public void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return "LabProcess[" + pid() + " " + String.join(" ", command) + "]";
    }
}
