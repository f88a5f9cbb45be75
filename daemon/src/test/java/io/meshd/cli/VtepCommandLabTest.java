package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.Capture;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabProcess;
import io.meshd.harness.RequiresLab;
import io.meshd.harness.Tshark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
@RequiresLab(commands = {"ping", "socat", "ss", "tshark"})
class VtepCommandLabTest {

    private Lab lab;
    private LabHost[] hosts;
    private LabHost[] containers;

    @BeforeEach
    void underlay() {
        lab = Lab.create();
        hosts = new LabHost[] {lab.host("h1"), lab.host("h2")};
        containers = new LabHost[] {lab.host("c1"), lab.host("c2")};
        lab.link(hosts[0], "10.96.0.1/24", hosts[1], "10.96.0.2/24");
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    @Test
    void shouldCarryPingUntilSigtermThenCleanUpAndPrintCounters() throws Exception {
        List<LabProcess> vteps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // The first host's receive threads spin (--busy-poll-us): traffic must cross all the same.
            String spin = i == 0 ? "50" : "0";
            vteps.add(hosts[i].startProcess(meshd("vtep", "--vni", "77", "--local", "10.96.0." + (i + 1),
                "--remote", "10.96.0." + (2 - i), "--attach", containers[i].name() + ":eth0:192.168.77." + (i + 1)
                + "/24", "--busy-poll-us", spin)));
        }
        for (LabProcess p : vteps) {
            awaitOutput(p, "stop with Ctrl-C");
        }
        // The VTEP reports the budget it runs with (epoll is the default transport): the option reached it.
        assertTrue(vteps.get(0).output().contains("receive threads poll 50 us after I/O"), vteps.get(0).output());
        assertFalse(vteps.get(1).output().contains("receive threads poll"), vteps.get(1).output());
        assertTrue(containers[0].exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2",
            "192.168.77.2").ok(), "ping across two meshd vtep processes");
        for (LabProcess p : vteps) {
            p.process().toHandle().destroy(); // SIGTERM
        }
        for (int i = 0; i < 2; i++) {
            LabProcess p = vteps.get(i);
            assertTrue(p.process().waitFor(30, TimeUnit.SECONDS), "exited after SIGTERM");
            String all = p.output();
            assertTrue(all.contains("removed every interface it created; counters:"), all);
            Matcher tx = Pattern.compile("tx-datagrams=(\\d+)").matcher(all);
            assertTrue(tx.find(), all);
            assertNotEquals("0", tx.group(1), "datagrams sent:\n" + all);
            assertTrue(all.contains("port " + containers[i].name() + ":eth0: rx-frames="), all);
            // Without --queues the command opens one TAP queue per core (at most 4), each with its own counter.
            boolean multiQueue = Runtime.getRuntime().availableProcessors() > 1;
            assertEquals(multiQueue, all.contains("rx-reads-queue-1="), "queues by default:\n" + all);
            assertFalse(all.contains("rx-reads-queue-4="), "never more than 4 by default:\n" + all);
            assertFalse(containers[i].exec("ip", "link", "show", "eth0").ok(),
                "eth0 still exists in " + containers[i].name());
        }
    }

    /**
     * {@code --vip} as a user runs it: a VIP on h1 with one backend behind h2's VTEP and one beside the client on h1.
     * Every connection from c1 to the VIP reaches a backend that sees c1's own address, both backends serve, and a
     * port without a service is refused at once (the VIP NAT's RST), not left to time out.
     */
    @Test
    void shouldBalanceConnectionsToAVipOverLocalAndRemoteBackendsKeepingTheClientAddress() throws Exception {
        LabHost localBackend = lab.host("c3");
        String vip = "192.168.77.100";
        List<LabProcess> vteps = new ArrayList<>();
        vteps.add(hosts[0].startProcess(meshd("vtep", "--vni", "77", "--local", "10.96.0.1", "--remote", "10.96.0.2",
            "--attach", containers[0].name() + ":eth0:192.168.77.1/24",
            "--attach", localBackend.name() + ":eth0:192.168.77.3/24",
            "--neighbor", "192.168.77.2=02:42:c0:a8:4d:02@10.96.0.2",
            "--vip", vip + ":80/tcp=192.168.77.2:8080,192.168.77.3:8080")));
        vteps.add(hosts[1].startProcess(meshd("vtep", "--vni", "77", "--local", "10.96.0.2", "--remote", "10.96.0.1",
            "--attach", containers[1].name() + ":eth0:192.168.77.2/24")));
        for (LabProcess p : vteps) {
            awaitOutput(p, "stop with Ctrl-C");
        }
        LabHost[] backends = {containers[1], localBackend};
        for (LabHost b : backends) {
            b.startProcess("socat", "TCP-LISTEN:8080,fork,reuseaddr", "SYSTEM:echo " + b.shortName()
                + " $SOCAT_PEERADDR");
            awaitListening(b, 8080);
        }
        java.util.Map<String, Integer> served = new java.util.TreeMap<>();
        for (int i = 0; i < 24; i++) {
            var answer = containers[0].exec(Duration.ofSeconds(20), "socat", "-u", "-T", "5",
                "TCP:" + vip + ":80,connect-timeout=5", "STDOUT");
            assertTrue(answer.ok(), "connection " + i + " through the VIP: " + answer);
            String[] words = answer.stdout().trim().split(" ");
            assertEquals(2, words.length, answer.stdout());
            assertEquals("192.168.77.1", words[1], "the backend sees the client's own address");
            served.merge(words[0], 1, Integer::sum);
        }
        assertEquals(java.util.Set.of(containers[1].shortName(), localBackend.shortName()), served.keySet(),
            "both backends serve: " + served);
        try (Capture capture = containers[0].capture("eth0").filter("tcp port 81").start()) {
            long start = System.nanoTime();
            var refused = containers[0].exec(Duration.ofSeconds(20), "socat", "-u",
                "TCP:" + vip + ":81,connect-timeout=5", "STDOUT");
            assertFalse(refused.ok());
            assertTrue(refused.stderr().contains("Connection refused"), "refused by a RST: " + refused);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "refused before the connect timeout");
            capture.awaitCount(f -> true, 2, Duration.ofSeconds(5));
            // tshark reads the answer as a kernel's RST|ACK from the VIP, both checksums good (status 1).
            List<String> resets = Tshark.decode(containers[0], capture, "tcp.flags.reset == 1", "ip.src",
                "tcp.srcport", "tcp.flags.ack", "ip.checksum.status", "tcp.checksum.status");
            assertEquals(List.of(vip + "\t81\t1\t1\t1"), resets);
        }
        for (LabProcess p : vteps) {
            p.process().toHandle().destroy();
            assertTrue(p.process().waitFor(30, TimeUnit.SECONDS), "exited after SIGTERM");
        }
        String counters = vteps.get(0).output();
        Matcher toBackend = Pattern.compile("lb:.*to-backend=(\\d+)").matcher(counters);
        assertTrue(toBackend.find(), counters);
        assertTrue(Integer.parseInt(toBackend.group(1)) >= 24 * 3, "every segment of 24 connections: " + counters);
        assertTrue(counters.matches("(?s).*lb:.*no-service=[1-9].*"), "the closed port is counted: " + counters);
    }

    private static void awaitListening(LabHost host, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (host.exec("ss", "-Hltn", "sport = :" + port).stdout().isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing listens on " + port + " in " + host);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void shouldFailCleanlyWhenTheNamespaceDoesNotExist() throws Exception {
        String missing = "no-such-ns-" + lab.runId();
        LabProcess p = hosts[0].startProcess(meshd("vtep", "--vni", "77", "--local", "10.96.0.1", "--attach",
            missing + ":eth0:192.168.77.1/24"));
        assertTrue(p.process().waitFor(30, TimeUnit.SECONDS));
        String all = p.output();
        assertEquals(1, p.process().exitValue(), all);
        assertTrue(all.contains(missing), all);
        assertTrue(all.contains("counters:"), all);
    }

    /** The command line of this build's meshd (the test classpath; the shaded jar comes later in the build). */
    static String[] meshd(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), "io.meshd.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd.toArray(new String[0]);
    }

    static void awaitOutput(LabProcess p, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!p.output().contains(text)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' from " + p + ":\n" + p.output());
            }
            Thread.sleep(100);
        }
    }
}
