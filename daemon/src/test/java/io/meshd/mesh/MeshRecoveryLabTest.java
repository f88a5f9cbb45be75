package io.meshd.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.Mesh;
import io.meshd.gossip.DetectionBound;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabProcess;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with {@code kill -9} and restarted keeps its containers on the mesh. Node n1 runs in this JVM in lab
 * host h1; node n2 runs in a JVM of its own ({@link RecoveryNode}) in h2, with a state file, and attaches three
 * namespaces. A TCP connection from one of them to a container on n1 carries a counter. n2 is killed with SIGKILL:
 * its interfaces stay in the namespaces. While it is down one interface is deleted, a value is sent into the
 * outage, and n1 declares n2 dead (its endpoints hidden). The restarted n2 takes up the two surviving attachments,
 * drops the third, and the same connection carries the counter again; n1 sees each of n2's endpoints exactly once
 * and the dropped one nowhere, and DNS answers in n2's namespaces again.
 */
@io.meshd.harness.RequiresLab(commands = {"dig", "ip", "ping"})
class MeshRecoveryLabTest {
    /** Scheduling allowance on a loaded 2-core machine (two JVMs starting), on top of the gossip bounds. */
    private static final Duration ALLOWANCE = Duration.ofSeconds(10);
    /** How long a node JVM may take to start (class loading on a busy 2-core machine) and sync. */
    private static final Duration JVM_START = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Lab lab;
    private LabHost h1;
    private LabHost h2;
    private Mesh m1;
    private final List<LabProcess> nodes = new ArrayList<>();

    @BeforeEach
    void underlay() {
        lab = Lab.create();
        h1 = lab.host("h1");
        h2 = lab.host("h2");
        lab.link(h1, "10.96.0.1/24", h2, "10.96.0.2/24");
    }

    @AfterEach
    void tearDown() {
        nodes.forEach(LabProcess::stop);
        if (m1 != null) {
            m1.close();
        }
        lab.close();
    }

    @Test
    void shouldTakeUpItsAttachmentsAfterKill9AndKeepAnEstablishedTcpConnection() throws Exception {
        m1 = LabMeshes.start(h1, 0, "10.96.0.1", RecoveryNode.GOSSIP, null);
        m1.createNetwork("front", "10.95.0.0/24", OptionalInt.of(4545));
        LabHost server = lab.host("srv");
        m1.attach(Mesh.attachment("front", server.name()).ip(InetAddress.getByName("10.95.0.11")).name("server"));
        LabHost client = lab.host("cli");
        LabHost other = lab.host("oth");
        LabHost gone = lab.host("gone");
        Path state = dir.resolve("n2.state.json");
        LabProcess first = startN2(state, "front:" + client.name() + ":10.95.0.12:cli",
            "front:" + other.name() + ":10.95.0.13:other", "front:" + gone.name() + ":10.95.0.14:gone");
        awaitReady(first);
        await("n1 sees n2's three endpoints", JVM_START, () -> ownedBy(m1, "n2").size() == 3);

        try (ServerSocket listen = server.netns().call(() -> new ServerSocket(7000, 1,
            InetAddress.getByName("10.95.0.11")))) {
            Thread echo = echo(listen);
            Socket conn = client.netns().call(() -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("10.95.0.11", 7000), 10_000);
                return s;
            });
            try (conn) {
                conn.setSoTimeout((int) ALLOWANCE.toMillis() * 3);
                DataOutputStream out = new DataOutputStream(conn.getOutputStream());
                DataInputStream in = new DataInputStream(conn.getInputStream());
                String before = dig(client, "server", "10.95.0.11");
                assertTrue(before.contains("10.95.0.11"), "DNS in n2's container before the kill: " + before);
                for (int i = 1; i <= 5; i++) {
                    out.writeInt(i);
                    out.flush();
                    assertEquals(i + 1, in.readInt(), "echo " + i + " before the kill");
                }

                // kill -9: the JVM has no chance to detach or leave
                long killed = System.nanoTime();
                first.process().destroyForcibly();
                assertTrue(first.process().waitFor(10, TimeUnit.SECONDS), "n2 is dead");
                assertTrue(client.exec("ip", "-o", "addr", "show", "dev", "eth0").stdout().contains("10.95.0.12/24"),
                    "the interface stays in the container with its address while no process holds it");
                assertTrue(client.exec("ip", "-o", "link", "show", "dev", "eth0").stdout().contains("NO-CARRIER"),
                    "with its carrier off");
                gone.execOk("ip", "link", "del", "eth0");
                out.writeInt(6); // into the outage: TCP retransmits it
                out.flush();
                // n1 declares n2 dead and hides its endpoints before n2 returns (the acceptance's order)
                await("n1 hides the dead n2's endpoints", DetectionBound.of(RecoveryNode.GOSSIP, 2).plus(ALLOWANCE),
                    () -> ownedBy(m1, "n2").isEmpty());
                long hidden = System.nanoTime();

                LabProcess second = startN2(state);
                awaitReady(second);
                Duration outage = Duration.ofNanos(System.nanoTime() - killed);
                String said = second.output();
                assertTrue(said.contains("RECOVERED [front/cli, front/other]"), said);
                assertTrue(said.contains("DROPPED 1 [front/gone (" + gone.name() + ":eth0): interface eth0 is not in"),
                    said);

                // TCP backs off while the path is down: its next retransmission comes within about the outage again,
                // after n1 has seen n2 alive again (bounded by the detection bound).
                Duration bound = outage.multipliedBy(2).plus(DetectionBound.of(RecoveryNode.GOSSIP, 2))
                    .plus(ALLOWANCE);
                conn.setSoTimeout((int) bound.toMillis());
                assertEquals(7, in.readInt(), "the value sent into the outage arrives and is echoed on the same "
                    + "connection (outage " + outage.toMillis() + " ms)");
                System.out.printf("kill -9 to n2 hidden at n1: %d ms; to restarted n2: %d ms; to the first echo after"
                    + " it: %d ms%n", TimeUnit.NANOSECONDS.toMillis(hidden - killed), outage.toMillis(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
                for (int i = 8; i <= 12; i++) {
                    out.writeInt(i);
                    out.flush();
                    assertEquals(i + 1, in.readInt(), "echo " + i + " after the restart");
                }
            } finally {
                echo.join(5_000); // the connection is closed (before this block): the echo ends
            }
        }

        await("n1 sees n2's two taken-up endpoints, and not the dropped one", JVM_START,
            () -> ownedBy(m1, "n2").keySet().equals(Set.of("front/cli", "front/other")));
        Map<String, EndpointValue> n2 = ownedBy(m1, "n2");
        assertEquals("10.95.0.12", n2.get("front/cli").ip().getHostAddress());
        assertEquals("10.95.0.13", n2.get("front/other").ip().getHostAddress());
        Set<String> ips = new TreeSet<>();
        m1.endpoints().values().forEach(v -> assertTrue(ips.add(v.ip().getHostAddress()), "no address twice: " + v));
        assertEquals(Set.of("10.95.0.11", "10.95.0.12", "10.95.0.13"), ips, "no stale entry");
        assertFalse(m1.parts().gossip().entries(MeshTable.ENDPOINTS.table(), "n2").containsKey("front/gone"),
            "the dropped endpoint's entry is deleted, not only hidden");
        assertFalse(gone.exec("ip", "link", "show", "eth0").ok(), "nothing re-created in the dropped container");
        String srv = dig(client, "server", "10.95.0.11");
        assertTrue(srv.contains("10.95.0.11"), "the DNS responder answers in n2's containers again: " + srv);
        String cli = dig(other, "cli", "10.95.0.12");
        assertTrue(cli.contains("10.95.0.12"), "with n2's recovered names: " + cli);
        String file = java.nio.file.Files.readString(state);
        assertTrue(file.contains("\"cli\"") && file.contains("\"other\"") && !file.contains("\"gone\""), file);
    }

    @Test
    void shouldKeepAttachmentsOnAKeepingCloseTakeThemUpInTheSameJvmAndRemoveThemOnADetachingClose()
        throws Exception {
        Path state = dir.resolve("n1.state.json");
        LabHost a = lab.host("a");
        LabHost b = lab.host("b");
        m1 = startWithState(state);
        m1.createNetwork("front", "10.95.0.0/24", OptionalInt.of(4545));
        m1.attach(Mesh.attachment("front", a.name()).ip(InetAddress.getByName("10.95.0.21")).name("alpha"));
        m1.attach(Mesh.attachment("front", b.name()).ip(InetAddress.getByName("10.95.0.22")).name("beta"));
        assertTrue(a.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "5", "10.95.0.22").ok(), "a reaches b");

        m1.close(io.meshd.MeshShutdown.KEEP_ATTACHMENTS);
        for (LabHost h : List.of(a, b)) {
            String link = h.exec("ip", "-o", "addr", "show", "dev", "eth0").stdout();
            assertTrue(link.contains("10.95.0.2"), "kept in " + h + ": " + link);
        }
        // The readers were woken and the descriptors let go: this JVM can open the TAPs again.
        m1 = startWithState(state);
        assertEquals(List.of("front/alpha", "front/beta"), m1.recovery().recovered(), m1.recovery().toString());
        assertEquals(List.of(), m1.recovery().dropped());
        assertEquals(Set.of("front/alpha", "front/beta"), ownedBy(m1, "n1").keySet());
        assertTrue(a.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "5", "10.95.0.22").ok(),
            "a reaches b again through the re-opened TAPs");
        // A node alone keeps no cluster state across a restart (gossip is in memory): the network comes back when
        // someone creates it again, as an orchestrator would; then the re-registered responders answer its names.
        // (No names such as "a" or "srv" here: dig takes them for query types.)
        m1.createNetwork("front", "10.95.0.0/24", OptionalInt.of(4545));
        assertTrue(dig(b, "alpha", "10.95.0.21").contains("10.95.0.21"), "DNS in the namespaces again");

        m1.close();
        m1 = null;
        for (LabHost h : List.of(a, b)) {
            assertFalse(h.exec("ip", "link", "show", "eth0").ok(), "a detaching close removes the interface in " + h);
        }
        assertEquals(List.of(), new StateFile(state).read("n1"), "and empties the state file");
    }

    private Mesh startWithState(Path state) throws Exception {
        InetAddress local = InetAddress.getByName("10.96.0.1");
        io.meshd.MeshOptions o = io.meshd.MeshOptions.builder().nodeName("n1").gossip(RecoveryNode.GOSSIP)
            .gossipBind(new InetSocketAddress(local, 7946)).vtepAddress((java.net.Inet4Address) local)
            .syncTimeout(Duration.ofSeconds(1)).clusterDomain("mesh").stateFile(state).build();
        return h1.netns().call(() -> Mesh.start(o));
    }

    private LabProcess startN2(Path state, String... attachments) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp",
            System.getProperty("java.class.path"), RecoveryNode.class.getName(), "n2", "10.96.0.2", "10.96.0.1:7946",
            state.toString()));
        cmd.addAll(List.of(attachments));
        LabProcess p = h2.startProcess(cmd.toArray(new String[0]));
        nodes.add(p);
        return p;
    }

    private static void awaitReady(LabProcess p) throws InterruptedException {
        await("node ready", JVM_START, () -> {
            if (!p.isAlive() && !p.output().contains("READY")) {
                throw new AssertionError("node exited:\n" + p.output());
            }
            return p.output().contains("READY");
        });
    }

    /** The visible endpoints {@code m} knows on {@code node}, by key. */
    private static Map<String, EndpointValue> ownedBy(Mesh m, String node) {
        Map<String, EndpointValue> out = new TreeMap<>();
        for (Map.Entry<EndpointKey, EndpointValue> e : m.endpoints().entrySet()) {
            if (e.getValue().node().equals(node)) {
                out.put(e.getKey().key(), e.getValue());
            }
        }
        return out;
    }

    /** Accepts one connection and answers each int with the next one, until the connection or listener closes. */
    private static Thread echo(ServerSocket listen) {
        Thread t = new Thread(() -> {
            try (Socket s = listen.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                while (true) {
                    out.writeInt(in.readInt() + 1);
                    out.flush();
                }
            } catch (java.io.IOException e) {
                // closed: done
            }
        }, "echo");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Asks the DNS responder in {@code h} for {@code name} until the answer holds {@code want} (30 s at most). */
    private static String dig(LabHost h, String name, String want) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String got;
        do {
            got = h.exec(Duration.ofSeconds(10), "dig", "@127.0.0.11", "+time=1", "+tries=1", name).stdout();
            if (got.contains(want)) {
                return got;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return got;
    }

    private static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}
