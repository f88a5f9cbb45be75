package io.meshd.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes lab teardown happen whatever the test does: open labs are closed by a JVM shutdown hook, and every
 * namespace is recorded (before it is created) in {@code /run/meshd-lab/RUNID} next to the owning pid, so a
 * later lab can remove what a JVM killed with SIGKILL left behind.
 */
final class LabRegistry {

    private static final Path RECORDS = Path.of("/run/meshd-lab");
    private static final Set<Lab> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LabRegistry::closeAll, "meshd-lab-teardown"));
    }

    private LabRegistry() {
    }

    static void register(Lab lab) {
        OPEN.add(lab);
        write(lab.runId(), ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING);
    }

    static void recordNamespace(Lab lab, String namespace) {
        write(lab.runId(), namespace + "\n", StandardOpenOption.APPEND);
    }

    static void unregister(Lab lab) {
        OPEN.remove(lab);
        try {
            Files.deleteIfExists(RECORDS.resolve(lab.runId()));
        } catch (IOException e) {
            // The record of a fully torn-down lab only costs a later reaper one look.
        }
    }

    /** Kills every process still inside the namespace, then deletes it; a missing namespace is fine. */
    static void deleteNamespace(String namespace) {
        if (!Files.exists(Path.of("/run/netns", namespace))) {
            return;
        }
        ExecResult pids = Commands.run(Commands.DEFAULT_TIMEOUT, List.of("ip", "netns", "pids", namespace));
        for (String line : pids.stdout().split("\\s+")) {
            if (!line.isBlank()) {
                long pid = Long.parseLong(line.trim());
                if (pid != ProcessHandle.current().pid()) {
                    ProcessHandle.of(pid).ifPresent(LabRegistry::kill);
                }
            }
        }
        Commands.runOk(List.of("ip", "netns", "del", namespace));
    }

    /** Removes the namespaces of labs whose JVM is gone. */
    static void reapOrphans() {
        if (!Files.isDirectory(RECORDS)) {
            return;
        }
        try (DirectoryStream<Path> records = Files.newDirectoryStream(RECORDS)) {
            for (Path record : records) {
                List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
                Optional<ProcessHandle> owner = lines.isEmpty() ? Optional.empty()
                    : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
                if (owner.isEmpty() || !owner.get().isAlive()) {
                    for (String namespace : lines.subList(Math.min(1, lines.size()), lines.size())) {
                        deleteNamespace(namespace.trim());
                    }
                    Files.deleteIfExists(record);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Reaping is best effort: another JVM may be reaping the same orphan at the same time.
        }
    }

    private static void closeAll() {
        for (Lab lab : new ArrayList<>(OPEN)) {
            try {
                lab.close();
            } catch (RuntimeException e) {
                System.err.println("meshd lab teardown at exit failed: " + e);
            }
        }
    }

    private static void kill(ProcessHandle process) {
        process.destroyForcibly();
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The namespace is deleted anyway; a process that will not die keeps only its own reference to it.
        }
    }

    private static void write(String runId, String text, StandardOpenOption... options) {
        try {
            Files.createDirectories(RECORDS);
            Files.writeString(RECORDS.resolve(runId), text, StandardCharsets.UTF_8, options);
        } catch (IOException e) {
            throw new IllegalStateException("cannot record lab " + runId + " under " + RECORDS, e);
        }
    }
}
