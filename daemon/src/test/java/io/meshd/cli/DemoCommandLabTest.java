package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.RequiresLab;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code meshd demo} as root, run as a user runs it (its own JVM, the real exit code): every step runs (nothing
 * skipped), the mesh step asks DNS from a container, spreads TCP connections through the VIP over backends on
 * different nodes, heals after a crash, and leaves none of its namespaces behind.
 */
@RequiresLab
class DemoCommandLabTest {

    private static final Pattern NAMESPACE = Pattern.compile("namespace (md\\w+) attached");

    @Test
    void shouldRunEveryStepWithNamespacesAndExitZero() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx256m", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), "io.meshd.cli.Main", "demo").redirectErrorStream(true)
            .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finishes within a minute: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("demo finished: 4 of 4 steps ok"), out);
        assertFalse(out.contains("skipped:"), "as root nothing is skipped: " + out);
        assertFalse(out.contains("FAILED"), out);
        assertTrue(out.contains("ok      dns in a container: web -> the VIP, tasks.web -> the 3 endpoints"), out);
        assertTrue(out.contains("ok      load balancer: 12 connections to the VIP spread over"), out);
        assertTrue(out.contains("ok      healing: new connections reach only the live backends"), out);
        assertTrue(out.contains("ok      healing at n1: n3's endpoint left the answers"), out);
        List<String> made = new ArrayList<>();
        Matcher m = NAMESPACE.matcher(out);
        while (m.find()) {
            made.add(m.group(1));
        }
        assertEquals(4, made.size(), "a client and three backends: " + out);
        Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String left = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor(10, TimeUnit.SECONDS);
        for (String ns : made) {
            assertFalse(left.contains(ns), ns + " was left behind: " + left);
        }
    }
}
