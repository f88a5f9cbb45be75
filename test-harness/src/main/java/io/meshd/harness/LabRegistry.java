package io.meshd.harness;

import io.meshd.shims.NamedNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Makes lab teardown happen whatever the test does: open labs are closed by a JVM shutdown hook, and every
 * namespace is recorded (before it is created) in {@code /run/meshd-lab/RUNID} under the owning process (pid and
 * start time, see {@link LabOwner}), so a later lab can remove what a JVM killed with SIGKILL left behind.
 *
 * <p>Several labs, in one JVM or in several, may run and reap at the same time. A record is reaped only when its
 * owner no longer runs, so a live lab is never touched; two reapers may take the same orphan at once, and each
 * treats a namespace or record the other already removed as removed. A record's first line (the owner) is written
 * atomically, so a reaper never reads a record without its owner; only the owner appends namespaces to it.
 */
final class LabRegistry {

    private static final Path RECORDS = Path.of("/run/meshd-lab");
    private static final Pattern RUN_ID = Pattern.compile("ml[a-z0-9]+");
    /** How long a deletion waits for another process that is deleting the same namespace to finish. */
    private static final Duration CONCURRENT_DELETE = Duration.ofSeconds(10);
    private static final Set<Lab> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LabRegistry::closeAll, "meshd-lab-teardown"));
    }

    private LabRegistry() {
    }

    /**
     * Creates the record of {@code runId}, owned by this process.
     *
     * @return false when a record of that run id exists already (the caller picks another id)
     */
    static boolean claim(String runId) {
        try {
            Files.createDirectories(RECORDS);
            Path draft = Files.createTempFile(RECORDS, "." + runId + "-", ".draft");
            try {
                Files.writeString(draft, LabOwner.current().format() + "\n", StandardCharsets.UTF_8);
                // link(2), unlike rename(2), fails when the name exists: two claims of one id cannot both win.
                Files.createLink(RECORDS.resolve(runId), draft);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } finally {
                Files.deleteIfExists(draft);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot record lab " + runId + " under " + RECORDS, e);
        }
    }

    /** Tracks an open lab, whose run id this process {@linkplain #claim claimed}, for the shutdown hook. */
    static void register(Lab lab) {
        OPEN.add(lab);
    }

    static void recordNamespace(Lab lab, String namespace) {
        try {
            Files.writeString(RECORDS.resolve(lab.runId()), namespace + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot record namespace " + namespace + " under " + RECORDS, e);
        }
    }

    static void unregister(Lab lab) {
        OPEN.remove(lab);
        release(lab.runId());
    }

    /** Deletes the record of a run id this process claimed and no longer uses. */
    static void release(String runId) {
        try {
            Files.deleteIfExists(RECORDS.resolve(runId));
        } catch (IOException e) {
            // The record of a fully torn-down lab only costs a later reaper one look.
        }
    }

    /**
     * Kills every process still inside the namespace, then deletes it. A namespace that is missing, or that
     * another process deletes meanwhile, counts as deleted.
     */
    static void deleteNamespace(String namespace) {
        Path file = Path.of("/run/netns", namespace);
        if (!Files.exists(file)) {
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
        try {
            NamedNamespaces.delete(namespace);
        } catch (UncheckedIOException e) {
            // Another lab's reaper may be deleting it at this moment: gone soon counts as deleted.
            if (!awaitGone(file)) {
                throw e;
            }
        }
    }

    /**
     * Removes the namespaces of labs whose owning process no longer runs. When it returns, every orphan seen is
     * gone (this call or a concurrent reaper removed it) unless its removal failed, which is reported on stderr
     * and retried by the next lab.
     */
    static void reapOrphans() {
        if (!Files.isDirectory(RECORDS)) {
            return;
        }
        try (DirectoryStream<Path> records = Files.newDirectoryStream(RECORDS,
                path -> RUN_ID.matcher(path.getFileName().toString()).matches())) {
            for (Path record : records) {
                reapIfOrphan(record);
            }
        } catch (IOException e) {
            System.err.println("meshd lab: cannot list " + RECORDS + ": " + e);
        }
    }

    /** What {@link #reapIfOrphan} did with a record. */
    enum Reaping {
        /** The owner still runs: nothing touched. */
        SPARED,
        /** The owner is gone and so are its namespaces and record (removed here or by a concurrent reaper). */
        REAPED,
        /** The owner is gone but a removal failed; reported on stderr, the next reaper retries. */
        FAILED
    }

    /** Reaps one record when its owner is gone; a record another reaper removed meanwhile counts as reaped. */
    static Reaping reapIfOrphan(Path record) {
        try {
            List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
            Optional<LabOwner> owner = lines.isEmpty() ? Optional.empty() : LabOwner.parse(lines.get(0));
            if (owner.isEmpty() || owner.get().isRunning()) {
                return Reaping.SPARED;
            }
            for (String namespace : lines.subList(1, lines.size())) {
                if (!namespace.isBlank()) {
                    deleteNamespace(namespace.strip());
                }
            }
            Files.deleteIfExists(record);
            return Reaping.REAPED;
        } catch (NoSuchFileException e) {
            return Reaping.REAPED;
        } catch (IOException | RuntimeException e) {
            System.err.println("meshd lab: reaping " + record + " failed (the next lab retries): " + e);
            return Reaping.FAILED;
        }
    }

    /** Where the record of {@code runId} lives. */
    static Path recordOf(String runId) {
        return RECORDS.resolve(runId);
    }

    private static boolean awaitGone(Path file) {
        long deadline = System.nanoTime() + CONCURRENT_DELETE.toNanos();
        while (Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
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
}
