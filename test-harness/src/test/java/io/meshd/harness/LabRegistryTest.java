package io.meshd.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.LabRegistry.Reaping;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Orphan reaping takes only the namespaces of owners that no longer run, and concurrent reapers of one orphan all
 * succeed (what two test suites running at once on one machine do).
 */
@RequiresLab(commands = {"sleep"})
class LabRegistryTest {

    private static final int REAPERS = 4;

    @Test
    void shouldSpareTheLabOfARunningOwner() throws Exception {
        Process owner = new ProcessBuilder("sleep", "600").start();
        try {
            LabOwner live = LabOwner.running(owner.pid()).orElseThrow();
            Path record = fakeRecord(live, "a", "b");
            try {
                assertEquals(Reaping.SPARED, LabRegistry.reapIfOrphan(record));
                LabRegistry.reapOrphans();
                assertTrue(Files.exists(record));
                assertTrue(namespaces().containsAll(namespacesOf(record)), "the live lab's namespaces stay");
            } finally {
                owner.destroyForcibly().waitFor();
                assertEquals(Reaping.REAPED, LabRegistry.reapIfOrphan(record), "gone once its owner is");
            }
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void shouldReapTheLabOfAnOwnerWhosePidNowBelongsToAnotherProcess() throws Exception {
        LabOwner me = LabOwner.current();
        LabOwner recycled = new LabOwner(me.pid(), OptionalLong.of(me.startTicks().getAsLong() - 1));
        Path record = fakeRecord(recycled, "a");
        List<String> created = namespacesOf(record);
        assertEquals(Reaping.REAPED, LabRegistry.reapIfOrphan(record));
        assertFalse(Files.exists(record));
        assertTrue(namespaces().stream().noneMatch(created::contains), "left: " + namespaces());
    }

    @Test
    void shouldLetConcurrentReapersOfOneOrphanAllSucceed() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        LabOwner gone = LabOwner.running(exited.pid()).orElse(new LabOwner(exited.pid(), OptionalLong.of(0)));
        exited.waitFor();
        Path record = fakeRecord(gone, "a", "b", "c", "d");
        List<String> created = namespacesOf(record);
        ExecutorService pool = Executors.newFixedThreadPool(REAPERS);
        try {
            List<Callable<Reaping>> reapers = new ArrayList<>();
            for (int i = 0; i < REAPERS; i++) {
                reapers.add(() -> LabRegistry.reapIfOrphan(record));
            }
            for (Future<Reaping> result : pool.invokeAll(reapers)) {
                assertEquals(Reaping.REAPED, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertFalse(Files.exists(record));
        assertTrue(namespaces().stream().noneMatch(created::contains), "left: " + namespaces());
    }

    @Test
    void shouldTreatANamespaceAlreadyDeletedAsDeleted() {
        String namespace = "ml" + Long.toString(System.nanoTime(), 36) + "x";
        Commands.runOk(List.of("ip", "netns", "add", namespace));
        Commands.runOk(List.of("ip", "netns", "del", namespace));
        LabRegistry.deleteNamespace(namespace);
        assertFalse(namespaces().contains(namespace));
    }

    /** A record as a lab of {@code owner} writes it, with one real namespace per host name. */
    private static Path fakeRecord(LabOwner owner, String... hosts) throws Exception {
        String runId = "ml" + Long.toString(System.nanoTime() % 60_466_176L, 36);
        Path record = LabRegistry.recordOf(runId);
        StringBuilder text = new StringBuilder(owner.format()).append('\n');
        for (String host : hosts) {
            text.append(runId).append(host).append('\n');
        }
        Files.createDirectories(record.getParent());
        Files.writeString(record, text, StandardCharsets.UTF_8);
        for (String host : hosts) {
            Commands.runOk(List.of("ip", "netns", "add", runId + host));
        }
        return record;
    }

    private static List<String> namespacesOf(Path record) throws Exception {
        List<String> lines = Files.readAllLines(record, StandardCharsets.UTF_8);
        return List.copyOf(lines.subList(1, lines.size()));
    }

    private static List<String> namespaces() {
        return Commands.runOk(List.of("ip", "netns", "list")).stdout().lines().map(l -> l.split(" ")[0]).toList();
    }
}
