package io.meshd.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Teardown when the JVM exits without closing its lab, and when it is killed with SIGKILL. */
@RequiresLab(commands = {"sleep"})
class LabExitTest {

    @Test
    void shouldTearDownAtJvmExitThroughTheShutdownHook() throws Exception {
        Process probe = startProbe("exit");
        String[] started = readRunIdAndPid(probe);
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "the probe exits");
        assertEquals(0, probe.exitValue());
        assertNothingLeft(started);
    }

    @Test
    void shouldReapTheLabOfAKilledJvmWhenTheNextLabStarts() throws Exception {
        Process probe = startProbe("wait");
        String[] started = readRunIdAndPid(probe);
        String runId = started[0];
        assertTrue(namespaces().stream().anyMatch(n -> n.startsWith(runId)), "the probe's lab exists");
        probe.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        // SIGKILL skips shutdown hooks: the namespaces (and the sleep inside one) outlive the JVM.
        assertTrue(namespaces().stream().anyMatch(n -> n.startsWith(runId)), "the killed JVM left its lab");
        assertTrue(ProcessHandle.of(Long.parseLong(started[1])).isPresent(), "and the process inside it");
        try (Lab next = Lab.create()) {
            assertFalse(next.runId().equals(runId));
            assertNothingLeft(started);
        }
    }

    private static Process startProbe(String mode) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", classPath, LabExitProbe.class.getName(), mode)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The probe's first line: its lab's run id and the pid of the process it started in the lab. */
    private static String[] readRunIdAndPid(Process probe) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ml")) {
            probe.destroyForcibly();
            throw new AssertionError("the probe printed no run id: " + line);
        }
        return line.trim().split(" ");
    }

    private static void assertNothingLeft(String[] started) {
        String runId = started[0];
        List<String> left = namespaces();
        assertFalse(left.stream().anyMatch(n -> n.startsWith(runId)), runId + " left namespaces: " + left);
        assertFalse(Files.exists(Path.of("/run/meshd-lab", runId)), "record of " + runId + " removed");
        assertFalse(ProcessHandle.of(Long.parseLong(started[1])).map(ProcessHandle::isAlive).orElse(false),
            "the process started in the lab was killed");
    }

    private static List<String> namespaces() {
        return Commands.runOk(List.of("ip", "netns", "list")).stdout().lines().map(l -> l.split(" ")[0]).toList();
    }
}
