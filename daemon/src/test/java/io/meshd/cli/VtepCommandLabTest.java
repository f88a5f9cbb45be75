package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.RequiresLab;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code meshd vtep} as a user runs it: two separate processes started with {@code ip netns exec} in two lab hosts,
 * a ping between their containers, SIGTERM, then the interfaces must be gone and the counters printed.
 */
@RequiresLab(commands = {"ping"})
class VtepCommandLabTest {

    private final String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
    private final String[] hosts = {"mch1" + suffix, "mch2" + suffix};
    private final String[] containers = {"mcc1" + suffix, "mcc2" + suffix};
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void underlay() throws Exception {
        for (String ns : new String[] {hosts[0], hosts[1], containers[0], containers[1]}) {
            sh("ip", "netns", "add", ns);
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
        sh("ip", "link", "add", "eth0", "netns", hosts[0], "type", "veth", "peer", "name", "eth0", "netns", hosts[1]);
        for (int i = 0; i < 2; i++) {
            sh("ip", "-n", hosts[i], "addr", "add", "10.96.0." + (i + 1) + "/24", "dev", "eth0");
            sh("ip", "-n", hosts[i], "link", "set", "eth0", "up");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (String ns : new String[] {hosts[0], hosts[1], containers[0], containers[1]}) {
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldCarryPingUntilSigtermThenCleanUpAndPrintCounters() throws Exception {
        List<Output> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", hosts[i],
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.meshd.cli.Main", "vtep",
                "--vni", "77", "--local", "10.96.0." + (i + 1), "--remote", "10.96.0." + (2 - i),
                "--attach", containers[i] + ":eth0:192.168.77." + (i + 1) + "/24"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            processes.add(p);
            outputs.add(new Output(p));
        }
        for (int i = 0; i < 2; i++) {
            assertTrue(outputs.get(i).started.get(60, TimeUnit.SECONDS), "not started:\n" + outputs.get(i).text);
        }
        assertEquals(0, run("ip", "netns", "exec", containers[0], "ping", "-c", "3", "-i", "0.2", "-W", "2",
            "192.168.77.2"), "ping across two meshd vtep processes");
        for (Process p : processes) {
            p.toHandle().destroy(); // SIGTERM, without closing our end of its output as Process.destroy() would
        }
        for (int i = 0; i < 2; i++) {
            Process p = processes.get(i);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited after SIGTERM");
            String all = outputs.get(i).ended.get(10, TimeUnit.SECONDS);
            assertTrue(all.contains("removed every interface it created; counters:"), all);
            Matcher tx = Pattern.compile("tx-datagrams=(\\d+)").matcher(all);
            assertTrue(tx.find(), all);
            assertNotEquals("0", tx.group(1), "datagrams sent:\n" + all);
            assertTrue(all.contains("port " + containers[i] + ":eth0: rx-frames="), all);
            assertNotEquals(0, run("ip", "-n", containers[i], "link", "show", "eth0"),
                "eth0 still exists in " + containers[i]);
        }
    }

    @Test
    void shouldFailCleanlyWhenTheNamespaceDoesNotExist() throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", hosts[0],
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), "io.meshd.cli.Main", "vtep",
            "--vni", "77", "--local", "10.96.0.1", "--attach", "no-such-ns-" + suffix + ":eth0:192.168.77.1/24")
            .redirectErrorStream(true).start();
        processes.add(p);
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), all);
        assertTrue(all.contains("no-such-ns-" + suffix), all);
        assertTrue(all.contains("counters:"), all);
    }

    /** A process's output, read by a thread: whether it said it started (or ended first), and all of it. */
    private static final class Output {
        final StringBuffer text = new StringBuffer();
        final CompletableFuture<Boolean> started = new CompletableFuture<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();

        Output(Process p) {
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        text.append(line).append('\n');
                        if (line.contains("stop with Ctrl-C")) {
                            started.complete(true);
                        }
                    }
                } catch (java.io.IOException e) {
                    text.append(e);
                }
                started.complete(false);
                ended.complete(text.toString());
            });
            pump.setDaemon(true);
            pump.start();
        }
    }

    private static void sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + ": " + out);
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
