package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.LabRequirement;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code meshd demo --no-namespaces}: what an unprivileged user sees, whoever runs the tests. The mesh step's three
 * nodes form a cluster, every node's DNS view answers for the service, and the crashed node's endpoint leaves the
 * others' answers within the bound the step prints.
 */
class DemoCommandTest {

    private static final Pattern HEALED = Pattern.compile(
        "ok {6}healing at (n1|n2): n3's endpoint left the answers after (\\d+) ms \\(bound (\\d+) ms");

    @Test
    void shouldTourTheMeshWithoutNamespacesAndExitZero() {
        CliRun cli = new CliRun();
        long t0 = System.nanoTime();
        assertEquals(0, cli.run("demo", "--no-namespaces"), cli.out());
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        String out = cli.out();
        assertTrue(out.contains("demo finished: 4 of 4 steps ok"), out);
        assertFalse(out.contains("FAILED"), out);
        assertTrue(out.contains("gossip: probe every 200 ms"), "says which gossip settings it runs: " + out);
        assertTrue(out.contains("ok      cluster: 3 nodes on loopback see 3 alive"), out);
        for (String n : MeshDemoStep.NODES) {
            assertTrue(out.contains("ok      dns at " + n + ": web -> the VIP, tasks.web -> the 3 endpoints"), out);
        }
        assertTrue(out.contains("skipped: namespaces, TAPs and traffic through the VIP (--no-namespaces)"), out);
        assertTrue(out.contains("skipped: needs namespaces (--no-namespaces)"), "the VXLAN step says it skipped");
        assertTrue(out.contains("skipped: the routing mesh's published port (--no-namespaces)"), out);
        assertFalse(out.contains("ok      routing mesh:"), "no published port without namespaces: " + out);
        Matcher m = HEALED.matcher(out);
        Set<String> healed = new TreeSet<>();
        while (m.find()) {
            healed.add(m.group(1));
            assertTrue(Long.parseLong(m.group(2)) <= Long.parseLong(m.group(3)), m.group());
        }
        assertEquals(Set.of("n1", "n2"), healed, "both surviving nodes healed: " + out);
        assertTrue(out.contains("ok      load balancer: n1 keeps n3's backend in " + MeshDemoStep.VIP), out);
        assertTrue(out.contains("  observed:"), out);
        assertTrue(seconds < 60, "well under a minute: " + seconds + " s");
    }

    /**
     * As root the in-process run above has CAP_NET_ADMIN, which an unprivileged user lacks (the VTEP's socket
     * buffers once failed to start without it): run the demo in a JVM whose capability bounding set drops it.
     */
    @Test
    void shouldRunWithoutNetAdminCapability() throws Exception {
        Optional<Path> setpriv = LabRequirement.onPath("setpriv");
        Assumptions.assumeTrue(LabRequirement.isRoot() && setpriv.isPresent(),
            "not root (the in-process run is the unprivileged one) or no setpriv");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(setpriv.get().toString(), "--bounding-set=-net_admin", java, "-Xmx256m",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            "io.meshd.cli.Main", "demo", "--no-namespaces").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("demo finished: 4 of 4 steps ok"), out);
    }

    @Test
    void shouldExitNonZeroWhenAStepFailsOrThrowsAndRunTheRest() {
        StringWriter text = new StringWriter();
        DemoStep fails = step("fails", () -> false);
        DemoStep throwz = step("throws", () -> {
            throw new IllegalStateException("boom");
        });
        DemoStep passes = step("passes", () -> true);
        assertEquals(1, DemoCommand.run(List.of(fails, throwz, passes), new PrintWriter(text)));
        String out = text.toString();
        assertTrue(out.contains("error: java.lang.IllegalStateException: boom"), out);
        assertTrue(out.contains("[3/3] passes"), "the rest still run: " + out);
        assertTrue(out.contains("demo finished: 1 of 3 steps ok"), out);
        assertEquals(0, DemoCommand.run(List.of(passes), new PrintWriter(new StringWriter())));
    }

    private interface Outcome {
        boolean get() throws Exception;
    }

    private static DemoStep step(String title, Outcome outcome) {
        return new DemoStep() {
            @Override
            public String title() {
                return title;
            }

            @Override
            public boolean run(PrintWriter out) throws Exception {
                return outcome.get();
            }
        };
    }

    @Test
    void shouldDescribeTheOptionInHelp() {
        CliRun cli = new CliRun();
        assertEquals(0, cli.run("demo", "--help"));
        assertTrue(cli.out().contains("--no-namespaces"), cli.out());
    }
}
