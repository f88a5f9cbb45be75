package io.meshd.cli;

import static io.meshd.cli.AgentProcesses.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.cli.agent.ControlClient;
import io.meshd.harness.RequiresLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five agents in five network namespaces on one bridge; nftables splits them 2 | 3, then the rules go away. The
 * halves must declare each other dead, then merge again on their own (reconnect loop), converge their tables, and
 * stay merged.
 */
@RequiresLab(commands = {"nft"})
class GossipPartitionLabTest {

    private static final int HOSTS = 5;
    private final String tag = "gp" + (ProcessHandle.current().pid() % 1000) + ThreadLocalRandom.current().nextInt(100);
    private final List<String> namespaces = new ArrayList<>();

    @TempDir
    Path dir;

    private AgentProcesses agents;

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static void nft(String ns, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("nft in " + ns + " failed: " + out);
        }
    }

    private String host(int i) {
        return tag + "h" + i;
    }

    private static String ip(int i) {
        return "10.77.0." + (i + 1);
    }

    private void buildLab() throws IOException, InterruptedException {
        String br = tag + "br";
        sh("ip", "netns", "add", br);
        namespaces.add(br);
        sh("ip", "-n", br, "link", "add", "br0", "type", "bridge");
        sh("ip", "-n", br, "link", "set", "br0", "up");
        for (int i = 0; i < HOSTS; i++) {
            String ns = host(i);
            sh("ip", "netns", "add", ns);
            namespaces.add(ns);
            sh("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "p" + i, "netns", br);
            sh("ip", "-n", br, "link", "set", "p" + i, "master", "br0", "up");
            sh("ip", "-n", ns, "addr", "add", ip(i) + "/24", "dev", "eth0");
            sh("ip", "-n", ns, "link", "set", "eth0", "up");
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agents != null) {
            agents.close();
        }
        for (String ns : namespaces) {
            try {
                sh("ip", "netns", "del", ns);
            } catch (IOException e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
    }

    private void partition(List<Integer> side, List<Integer> other) throws IOException, InterruptedException {
        for (int i : side) {
            StringBuilder peers = new StringBuilder();
            for (int j : other) {
                peers.append(peers.length() == 0 ? "" : ", ").append(ip(j));
            }
            nft(host(i), "table inet gossiplab {\n"
                + "  chain in { type filter hook input priority 0; ip saddr { " + peers + " } drop; }\n"
                + "  chain out { type filter hook output priority 0; ip daddr { " + peers + " } drop; }\n"
                + "}\n");
        }
    }

    private boolean sees(int observer, List<Integer> members, String state) {
        Map<String, String> s = agents.states("h" + observer);
        for (int m : members) {
            if (!state.equals(s.get("h" + m))) {
                return false;
            }
        }
        return true;
    }

    private boolean allConverged() {
        for (int i = 0; i < HOSTS; i++) {
            if (!sees(i, List.of(0, 1, 2, 3, 4), "ALIVE") || agents.entries("h" + i, "services").size() != 2) {
                return false;
            }
        }
        return true;
    }

    @Test
    void shouldMergeBothHalvesAfterAPartitionHealsAndConvergeTables() throws Exception {
        buildLab();
        agents = new AgentProcesses(dir);
        String seed = ip(0) + ":7946";
        for (int i = 0; i < HOSTS; i++) {
            agents.start(List.of("ip", "netns", "exec", host(i)), "h" + i, ip(i) + ":7946",
                i == 0 ? List.of() : List.of("--join", seed));
        }
        List<Integer> all = List.of(0, 1, 2, 3, 4);
        assertTrue(await(() -> sees(0, all, "ALIVE") && sees(4, all, "ALIVE"), Duration.ofSeconds(20)),
            "cluster formed: " + agents.states("h0"));

        List<Integer> left = List.of(0, 1);
        List<Integer> right = List.of(2, 3, 4);
        partition(left, right);
        partition(right, left);
        assertTrue(await(() -> sees(0, right, "DEAD") && sees(1, right, "DEAD") && sees(2, left, "DEAD")
            && sees(3, left, "DEAD") && sees(4, left, "DEAD"), AgentProcesses.BOUND.plusSeconds(10)),
            "each half declares the other dead: " + agents.states("h0") + " " + agents.states("h4"));
        ControlClient.request(agents.socket("h1"), "put services left 10.77.0.2:80");
        ControlClient.request(agents.socket("h3"), "put services right 10.77.0.4:80");

        long healed = System.nanoTime();
        for (int i = 0; i < HOSTS; i++) {
            nft(host(i), "delete table inet gossiplab\n");
        }
        assertTrue(await(this::allConverged, Duration.ofSeconds(30)),
            "halves merged and tables converged: " + agents.states("h0") + " " + agents.states("h4") + " "
                + agents.entries("h0", "services") + " " + agents.entries("h4", "services"));
        System.out.println("partition healed and converged in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed) + " ms");
        Thread.sleep(5000);
        assertTrue(allConverged(), "no lasting split: " + agents.states("h0") + " " + agents.states("h4"));
    }
}
