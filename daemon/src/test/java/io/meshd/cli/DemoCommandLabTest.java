package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.RequiresLab;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code meshd demo} as root, run as a user runs it (its own JVM, the real exit code): every step runs (nothing
 * skipped), the mesh step runs each node in its own namespace, asks DNS from a container, spreads TCP connections
 * through the VIP and through every node's published port (the routing mesh) over backends on different nodes, heals
 * after a crash (the VIP and the live nodes' published ports reach only live backends), and leaves none of its
 * namespaces (the nodes', the underlay's, the containers', the nodes' ingress namespaces) behind.
 */
@RequiresLab
class DemoCommandLabTest {

    private static final Pattern NAMESPACE = Pattern.compile("namespace (md\\w+) attached");
    private static final Pattern UNDERLAY = Pattern.compile("underlay: namespaces mdh1(\\w+), ");

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
        assertTrue(out.contains("ok      cluster: 3 nodes in their own namespaces see 3 alive"), out);
        assertTrue(out.contains("ok      routing mesh: every node answered on published port 80 at its address"), out);
        assertTrue(out.contains("ok      routing mesh: 36 connections through the 3 nodes' published port spread over"),
            out);
        assertTrue(out.contains("ok      healing: n1's and n2's published ports dropped n3's backend; new connections"
            + " through them reach only the live backends"), out);
        List<String> made = new ArrayList<>();
        Matcher m = NAMESPACE.matcher(out);
        while (m.find()) {
            made.add(m.group(1));
        }
        assertEquals(4, made.size(), "a client and three backends: " + out);
        Matcher u = UNDERLAY.matcher(out);
        assertTrue(u.find(), "names its underlay namespaces: " + out);
        String run = u.group(1);
        for (String base : List.of("mdh1", "mdh2", "mdh3", "mdout", "mdseg", "meshd-in-n1-", "meshd-in-n2-",
            "meshd-in-n3-")) {
            made.add(base + run);
        }
        Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String left = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor(10, TimeUnit.SECONDS);
        Set<String> listed = new TreeSet<>();
        for (String line : left.split("\n")) {
            listed.add(line.trim().split(" ")[0]);
        }
        for (String ns : made) {
            assertFalse(listed.contains(ns), ns + " was left behind: " + left);
        }
    }
}
