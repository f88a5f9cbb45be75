package io.meshd.mesh;

import static io.meshd.harness.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.Mesh;
import io.meshd.MeshEvent;
import io.meshd.gossip.DetectionBound;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.MemberState;
import io.meshd.harness.ExecResult;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.vxlan.fabric.TrafficCounter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@link Mesh} nodes in one JVM, each with its gossip and VTEP sockets inside its own lab host, gossiping over
 * the lab link. A network, a backend namespace attached on each host and a client on the first, a VIP service with
 * both backends: DNS in every namespace answers the VIP and the tasks, ping crosses hosts, TCP to the VIP reaches
 * both backends, and when one node leaves, its endpoint leaves the other's answers within the detection bound.
 */
@io.meshd.harness.RequiresLab(commands = {"dig", "ping", "socat", "ss"})
class MeshLabTest {
    /** Scheduling allowance on a loaded 2-core machine, on top of the gossip bounds. */
    private static final Duration ALLOWANCE = Duration.ofSeconds(5);

    /** LOCAL preset with push-pull every 2 s, so an address block settles in seconds (settle time: 9.2 s). */
    private final GossipConfig gossip = GossipConfig.local().name("lab").pushPullInterval(Duration.ofSeconds(2))
        .build();
    private final List<Mesh> meshes = new ArrayList<>();
    private Lab lab;
    private LabHost[] hosts;

    @BeforeEach
    void underlay() {
        lab = Lab.create();
        hosts = new LabHost[] {lab.host("h1"), lab.host("h2")};
        lab.link(hosts[0], "10.97.0.1/24", hosts[1], "10.97.0.2/24");
    }

    @AfterEach
    void tearDown() {
        for (Mesh m : meshes) {
            m.close();
        }
        lab.close();
    }

    private Mesh start(int i, InetSocketAddress seed) throws Exception {
        Mesh m = LabMeshes.start(hosts[i], i, "10.97.0." + (i + 1), gossip, seed);
        meshes.add(m);
        return m;
    }

    @Test
    void shouldResolveReachAndBalanceAcrossTwoHostsAndForgetALeftNode() throws Exception {
        Mesh m1 = start(0, null);
        Mesh m2 = start(1, m1.gossipAddress());
        List<MeshEvent> events = new CopyOnWriteArrayList<>();
        m1.addListener(events::add);
        await("both members alive", Duration.ofSeconds(30), () -> m1.members().stream()
            .filter(m -> m.state() == MemberState.ALIVE).count() == 2);
        m1.createNetwork("front", "10.98.0.0/24", OptionalInt.of(4242));
        await("network at n2", Duration.ofSeconds(30), () -> m2.networks().containsKey("front"));
        LabHost c1 = lab.host("c1");
        LabHost c2 = lab.host("c2");
        LabHost client = lab.host("cl");
        m1.attach(Mesh.attachment("front", c1.name()).ip(ip("10.98.0.11")).name("web-1").service("web"));
        m2.attach(Mesh.attachment("front", c2.name()).ip(ip("10.98.0.12")).name("web-2").alias("second")
            .service("web"));
        // the client's address comes from n1's address block: the lowest free one of the block n1 holds
        InetAddress clientIp = m1.attach(Mesh.attachment("front", client.name()).name("client")).ip();
        assertTrue(clientIp.getHostAddress().startsWith("10.98.0."), clientIp.toString());
        m2.createService("web", "front", ip("10.98.0.100"), ServiceValue.Mode.VIP,
            List.of(new ServiceValue.Port(80, 8080, ServiceValue.Port.TCP)));
        for (LabHost q : List.of(c1, c2, client)) {
            assertEquals(Set.of("10.98.0.100"), digUntil(q, "web", Set.of("10.98.0.100")), q + " web");
            assertEquals(Set.of("10.98.0.11", "10.98.0.12"),
                digUntil(q, "tasks.web", Set.of("10.98.0.11", "10.98.0.12")), q + " tasks.web");
        }
        assertEquals(Set.of("10.98.0.12"), digUntil(c1, "second", Set.of("10.98.0.12")), "alias across hosts");
        assertEquals(Set.of("10.98.0.11"), digUntil(c2, "web-1.front", Set.of("10.98.0.11")), "name.network");
        assertTrue(dig(c2, "-x", "10.98.0.11").contains("web-1.front."), "PTR");
        assertTrue(events.stream().anyMatch(e -> e.kind() == MeshEvent.Kind.ENDPOINT && e.name().equals("front/web-2")),
            "n1 heard of n2's endpoint: " + events);

        long arpBefore = m1.parts().vtep().fabric().traffic().get(TrafficCounter.ARP_REPLIES);
        assertTrue(c1.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.98.0.12").ok(),
            "ping across hosts");
        assertTrue(m1.parts().vtep().fabric().traffic().get(TrafficCounter.ARP_REPLIES) > arpBefore,
            "c1's ARP for n2's endpoint is answered on n1 from gossip, not flooded");
        // a namespace on another network sees only that network's names, and front's clients do not see its names
        m2.createNetwork("back", "10.99.0.0/24", OptionalInt.of(4343));
        await("back at n2", Duration.ofSeconds(30), () -> m2.networks().containsKey("back"));
        LabHost other = lab.host("o2");
        m2.attach(Mesh.attachment("back", other.name()).ip(ip("10.99.0.5")).name("db"));
        assertEquals(Set.of("10.99.0.5"), digUntil(other, "db", Set.of("10.99.0.5")), "db on back");
        assertEquals(Set.of("10.99.0.5"), digUntil(other, "db.back.mesh", Set.of("10.99.0.5")), "under the domain");
        String web = dig(other, "web.mesh");
        assertTrue(web.contains("status: NXDOMAIN"), "front's service is not visible on back: " + web);
        String db = dig(c2, "db.mesh");
        assertTrue(db.contains("status: NXDOMAIN"), "back's endpoint is not visible on front: " + db);
        for (LabHost b : List.of(c1, c2)) {
            b.startProcess("socat", "TCP-LISTEN:8080,fork,reuseaddr", "SYSTEM:echo " + b.shortName()
                + " $SOCAT_PEERADDR");
            awaitListening(b, 8080);
        }
        Map<String, Integer> served = new TreeMap<>();
        for (int i = 0; i < 16; i++) {
            ExecResult answer = client.exec(Duration.ofSeconds(20), "socat", "-u", "-T", "5",
                "TCP:10.98.0.100:80,connect-timeout=5", "STDOUT");
            assertTrue(answer.ok(), "connection " + i + " through the VIP: " + answer);
            String[] words = answer.stdout().trim().split(" ");
            assertEquals(clientIp.getHostAddress(), words[1], "the backend sees the client's address");
            served.merge(words[0], 1, Integer::sum);
        }
        assertEquals(Set.of(c1.shortName(), c2.shortName()), served.keySet(), "both backends serve: " + served);

        // n2 crashes (its gossip stops without a word): n1 declares it dead and hides its endpoint.
        Duration bound = DetectionBound.of(gossip, 2).plus(ALLOWANCE);
        long crashed = System.nanoTime();
        m2.parts().gossip().shutdown();
        assertEquals(Set.of("10.98.0.11"), digUntil(client, "tasks.web", Set.of("10.98.0.11"), bound),
            "a dead node's endpoint leaves the other's answers within " + bound);
        long detectMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashed);
        assertTrue(m1.endpoints().keySet().stream().noneMatch(k -> k.endpoint().equals("web-2")));
        assertEquals(List.of(false), m1.parts().services().services().get(0).backends().stream()
            .filter(b -> b.ip() == io.meshd.packet.Ipv4.parse("10.98.0.12")).map(b -> b.healthy()).toList(),
            "its backend is unhealthy");
        for (int i = 0; i < 4; i++) {
            ExecResult answer = client.exec(Duration.ofSeconds(20), "socat", "-u", "-T", "5",
                "TCP:10.98.0.100:80,connect-timeout=5", "STDOUT");
            assertTrue(answer.ok() && answer.stdout().startsWith(c1.shortName()), "only the live backend: " + answer);
        }
        meshes.remove(m2);
        m2.close();

        // n2 comes back under its name: its stale endpoint is reconciled away, the new attachment resolves again.
        Mesh back = start(1, m1.gossipAddress());
        back.attach(Mesh.attachment("front", c2.name()).ip(ip("10.98.0.13")).name("web-2").service("web"));
        assertEquals(Set.of("10.98.0.11", "10.98.0.13"),
            digUntil(client, "tasks.web", Set.of("10.98.0.11", "10.98.0.13")), "the returned node's endpoint");
        assertTrue(c2.exec(Duration.ofSeconds(20), "ping", "-c", "2", "-i", "0.2", "-W", "2",
            clientIp.getHostAddress()).ok(),
            "ping from the returned node's container");

        // A graceful close: the others hide its endpoint at once (well within the bound).
        long left = System.nanoTime();
        meshes.remove(back);
        back.close();
        assertEquals(Set.of("10.98.0.11"), digUntil(client, "tasks.web", Set.of("10.98.0.11"), bound),
            "a left node's endpoint leaves the other's answers");
        long leftMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left);
        System.out.printf("client %s (automatic); n2 crashed: endpoint gone from n1's DNS in %d ms; n2 left: in %d ms"
            + " (bound %s)%n", clientIp.getHostAddress(),
            detectMs, leftMs, bound);
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static String dig(LabHost h, String... args) {
        List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.11", "+time=1", "+tries=1"));
        cmd.addAll(Arrays.asList(args));
        return h.exec(Duration.ofSeconds(10), cmd.toArray(new String[0])).stdout();
    }

    private static Set<String> digUntil(LabHost h, String name, Set<String> want) throws InterruptedException {
        return digUntil(h, name, want, Duration.ofSeconds(30));
    }

    private static Set<String> digUntil(LabHost h, String name, Set<String> want, Duration within)
        throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Set<String> got;
        do {
            got = new TreeSet<>();
            for (String line : dig(h, "+short", name).split("\n")) {
                if (!line.isBlank()) {
                    got.add(line.trim());
                }
            }
            if (got.equals(want)) {
                return got;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return got;
    }

    private static void awaitListening(LabHost host, int port) throws InterruptedException {
        await(port + " listening in " + host, Duration.ofSeconds(30),
            () -> !host.exec("ss", "-Hltn", "sport = :" + port).stdout().isBlank());
    }
}
