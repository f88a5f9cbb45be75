package io.meshd.mesh;

import static io.meshd.harness.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.Mesh;
import io.meshd.MeshOptions;
import io.meshd.MeshRequestException;
import io.meshd.gossip.DetectionBound;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.MemberState;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.lb.Protocol;
import io.meshd.lb.ServiceKey;
import io.meshd.lb.proxy.ProxyBackend;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.shims.NamedNamespaces;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routing mesh through {@link Mesh} ({@link PublishedPorts}): three nodes in one JVM, each started inside its own
 * lab host on one underlay segment, a client host on the same segment. A service {@code web} publishes 8080 → 80
 * (TCP) and 5300 → 80 (UDP) with one backend per node (each answering its name and, on TCP, the peer address it
 * sees). From the client, every node's underlay address answers on 8080 and relays UDP on 5300; the connections
 * spread over more than one backend; one client address and port gets the same backend from every node; each
 * backend sees the ingress address of the node the client reached; a detached backend leaves every node's published
 * port; a port taken on one node is counted there while the others serve it, and bound once it is free; a port
 * another service publishes and the ingress endpoints' names are refused to users; a crashed node's task leaves the
 * others' published port within the detection bound; when the service goes, every node stops listening and removes
 * its ingress namespace and endpoint.
 */
@io.meshd.harness.RequiresLab
class MeshIngressLabTest {
    private static final int PUBLISHED = 8080;
    private static final int TAKEN = 8081;
    private static final int PUBLISHED_UDP = 5300;
    private static final int TARGET = 80;
    private static final Duration CONNECT = Duration.ofSeconds(5);
    /** Attaching the ingress may wait for the node's address block to settle (well under this with LOCAL). */
    private static final Duration INGRESS = Duration.ofSeconds(90);

    private final GossipConfig gossip = GossipConfig.local().name("ingress").pushPullInterval(Duration.ofSeconds(2))
        .build();
    private final List<Mesh> meshes = new ArrayList<>();
    private final NamedBackends backendServers = new NamedBackends("ingress-lab-backend");
    private Lab lab;
    private LabHost[] hosts;
    private LabHost client;

    @BeforeEach
    void underlay() {
        lab = Lab.create();
        hosts = new LabHost[] {lab.host("h1"), lab.host("h2"), lab.host("h3")};
        client = lab.host("cl");
        lab.segment("10.95.0.0/24", hosts[0], hosts[1], hosts[2], client);
    }

    @AfterEach
    void tearDown() throws IOException {
        backendServers.close();
        for (Mesh m : meshes) {
            m.close();
        }
        lab.close();
    }

    /** A node named uniquely for this run (its ingress namespace is named after it, host-wide). */
    private Mesh start(int i, InetSocketAddress seed) throws Exception {
        InetAddress local = InetAddress.getByName(underlay(i));
        MeshOptions.Builder b = MeshOptions.builder().nodeName(lab.runId() + "-n" + (i + 1)).gossip(gossip)
            .gossipBind(new InetSocketAddress(local, 7946)).vtepAddress((Inet4Address) local)
            .syncTimeout(Duration.ofSeconds(3)).clusterDomain("mesh");
        if (seed != null) {
            b.seed(seed);
        }
        MeshOptions o = b.build();
        Mesh m = hosts[i].netns().call(() -> Mesh.start(o));
        meshes.add(m);
        return m;
    }

    private static String underlay(int i) {
        return "10.95.0." + (i + 1);
    }

    @Test
    void shouldAnswerAPublishedPortOnEveryNodeAndForwardOverTheOverlay() throws Exception {
        Mesh m1 = start(0, null);
        Mesh m2 = start(1, m1.gossipAddress());
        Mesh m3 = start(2, m1.gossipAddress());
        Mesh[] nodes = {m1, m2, m3};
        await("three members alive at n1", Duration.ofSeconds(30), () -> m1.members().stream()
            .filter(m -> m.state() == MemberState.ALIVE).count() == 3);
        m1.createNetwork("front", "10.96.0.0/24", OptionalInt.of(4245));
        await("network everywhere", Duration.ofSeconds(30),
            () -> m2.networks().containsKey("front") && m3.networks().containsKey("front"));
        LabHost[] backends = {lab.host("b1"), lab.host("b2"), lab.host("b3")};
        for (int i = 0; i < 3; i++) {
            backendServers.tcp(backends[i], TARGET);
            backendServers.udp(backends[i], TARGET);
            nodes[i].attach(Mesh.attachment("front", backends[i].name()).ip(ip("10.96.0." + (11 + i)))
                .name("web-" + (i + 1)).service("web"));
        }
        // port 8081 is taken on h3 before the service publishes it
        ServerSocket blocker = hosts[2].netns().call(() -> new ServerSocket(TAKEN, 1, ip("0.0.0.0")));
        long created = System.nanoTime();
        m2.createService("web", "front", ip("10.96.0.100"), ServiceValue.Mode.VIP,
            List.of(new ServiceValue.Port(PUBLISHED, TARGET, ServiceValue.Port.TCP),
                new ServiceValue.Port(TAKEN, TARGET, ServiceValue.Port.TCP),
                new ServiceValue.Port(PUBLISHED_UDP, TARGET, ServiceValue.Port.UDP)));
        ServiceKey published = new ServiceKey(0, PUBLISHED, Protocol.TCP);
        ServiceKey taken = new ServiceKey(0, TAKEN, Protocol.TCP);
        Set<String> all = Set.of("10.96.0.11", "10.96.0.12", "10.96.0.13");
        for (Mesh m : nodes) {
            await(m.name() + " listens on 8080 with the three backends", INGRESS,
                () -> backendsOf(m, published).equals(all));
        }
        for (Mesh m : nodes) {
            EndpointKey k = new EndpointKey("front", PublishedPorts.endpointName(m.name()));
            await("n1 sees " + m.name() + "'s ingress endpoint", Duration.ofSeconds(30),
                () -> m1.endpoints().containsKey(k));
        }
        long readyMs = (System.nanoTime() - created) / 1_000_000;
        Map<String, String> ingressIps = new TreeMap<>();
        for (Mesh m : nodes) {
            EndpointValue in = m1.endpoints().get(new EndpointKey("front", PublishedPorts.endpointName(m.name())));
            assertTrue(in != null && in.service().isEmpty(), "n1 sees " + m.name() + "'s ingress endpoint, no task");
            ingressIps.put(m.name(), in.ip().getHostAddress());
        }
        assertEquals(3, new TreeSet<>(ingressIps.values()).size(), "three distinct ingress addresses: " + ingressIps);
        assertFalse(all.stream().anyMatch(ingressIps::containsValue), "the ingress addresses are no task's");

        // every node answers; the backend sees the reached node's ingress address
        Map<String, Integer> served = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 30; k++) {
                String[] answer = ask(underlay(i), PUBLISHED, 0);
                assertEquals(ingressIps.get(nodes[i].name()), answer[1], "backend " + answer[0] + " reached from "
                    + nodes[i].name() + " sees that node's ingress address");
                served.merge(answer[0], 1, Integer::sum);
            }
        }
        assertTrue(served.size() > 1, "90 connections spread over more than one backend: " + served);

        // one client address and port: the same backend whichever node it reaches (Maglev on the client's flow)
        for (int k = 0; k < 10; k++) {
            int port = 40_000 + k;
            Set<String> picks = new TreeSet<>();
            for (int i = 0; i < 3; i++) {
                picks.add(ask(underlay(i), PUBLISHED, port)[0]);
            }
            assertEquals(1, picks.size(), "client port " + port + " gets one backend from all nodes: " + picks);
        }

        // UDP: every node relays a datagram to a backend and its answer back
        for (int i = 0; i < 3; i++) {
            String answer = askUdp(underlay(i), PUBLISHED_UDP);
            assertTrue(Set.of("b1", "b2", "b3").contains(answer), "UDP through " + nodes[i].name() + ": " + answer);
        }

        // what each node's published ports counted, as the agent exports it
        for (Mesh m : nodes) {
            assertTrue(published(m, "meshd_published_events_total", "accepted", PUBLISHED, "tcp") >= 40,
                m.name() + " counted the 40 connections it took on " + PUBLISHED);
            assertTrue(published(m, "meshd_published_events_total", "udp-forwarded", PUBLISHED_UDP, "udp") >= 1,
                m.name() + " counted the datagram it relayed on " + PUBLISHED_UDP + "/udp");
        }

        // 8081 is taken on h3: counted there, served by the others
        await("n3 counted its bind failure", Duration.ofSeconds(10), () -> m3.parts().published().bindFailures() > 0);
        assertEquals(m3.parts().published().bindFailures(),
            published(m3, "meshd_published_bind_failures_total", null, 0, null), "n3 exports its bind failures");
        assertFalse(m3.parts().published().listening().contains(taken), "n3 does not listen on 8081");
        assertEquals(all, backendsOf(m1, taken), "n1 serves 8081");
        assertTrue(Set.of("b1", "b2", "b3").contains(ask(underlay(0), TAKEN, 0)[0]), "n1 answers on 8081");
        blocker.close();
        await("n3 binds 8081 once it is free (retried every 10 s)", Duration.ofSeconds(20),
            () -> m3.parts().published().listening().contains(taken));
        assertTrue(Set.of("b1", "b2", "b3").contains(ask(underlay(2), TAKEN, 0)[0]), "n3 answers on 8081 now");

        // a port another service publishes is refused
        MeshRequestException twice = assertThrows(MeshRequestException.class, () -> m1.createService("api", "front",
            ip("10.96.0.101"), ServiceValue.Mode.VIP, List.of(new ServiceValue.Port(PUBLISHED, 81,
                ServiceValue.Port.TCP))));
        assertEquals(MeshRequestException.Kind.CONFLICT, twice.kind(), twice.getMessage());
        assertTrue(twice.getMessage().contains("published by service 'web'"), twice.getMessage());

        // the ingress endpoints' names are reserved
        MeshRequestException reserved = assertThrows(MeshRequestException.class, () -> m1.attach(
            Mesh.attachment("front", lab.host("x").name()).name(PublishedPorts.ENDPOINT_PREFIX + "x")));
        assertEquals(MeshRequestException.Kind.INVALID, reserved.kind(), reserved.getMessage());

        // b1 detached: it leaves every node's published port; new connections avoid it
        assertTrue(m1.detach("front", backends[0].name()));
        for (Mesh m : nodes) {
            await(m.name() + " forgets b1", Duration.ofSeconds(30),
                () -> backendsOf(m, published).equals(Set.of("10.96.0.12", "10.96.0.13")));
        }
        Map<String, Integer> after = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 20; k++) {
                after.merge(ask(underlay(i), PUBLISHED, 0)[0], 1, Integer::sum);
            }
        }
        assertFalse(after.containsKey("b1"), "no connection reaches the detached backend: " + after);

        // n3 crashes (its gossip stops without a word): its task leaves the live nodes' published port
        Duration bound = DetectionBound.of(gossip, 3).plus(Duration.ofSeconds(5));
        long crashed = System.nanoTime();
        m3.parts().gossip().shutdown();
        for (Mesh m : List.of(m1, m2)) {
            await(m.name() + " drops the dead node's task", bound,
                () -> backendsOf(m, published).equals(Set.of("10.96.0.12")));
        }
        long detectMs = (System.nanoTime() - crashed) / 1_000_000;
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 10; k++) {
                assertEquals("b2", ask(underlay(i), PUBLISHED, 0)[0], "only the live task serves");
            }
        }
        meshes.remove(m3);
        m3.close();
        assertFalse(NamedNamespaces.exists(m3.parts().published().namespace()), "a closed node removes its ingress");

        // the service goes: no listener, no ingress endpoint, no ingress namespace
        assertTrue(m2.removeService("web"));
        for (Mesh m : List.of(m1, m2)) {
            PublishedPorts p = m.parts().published();
            await(m.name() + " stops publishing and removes its ingress", Duration.ofSeconds(30),
                () -> p.listening().isEmpty() && !NamedNamespaces.exists(p.namespace()));
        }
        await("no ingress endpoint left", Duration.ofSeconds(30), () -> m1.endpoints().keySet().stream()
            .noneMatch(k -> PublishedPorts.isIngress(k.endpoint())));
        boolean refused = client.netns().call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(underlay(0), PUBLISHED), (int) CONNECT.toMillis());
                return false;
            } catch (IOException e) {
                return true;
            }
        });
        assertTrue(refused, "8080 no longer answers on n1");
        System.out.printf("routing mesh: listening with the ingress attached on all nodes %d ms after create; 90"
            + " connections over 3 nodes: %s; after b1 left: %s; ingress %s; a dead node's task left the others'"
            + " published port %d ms after its gossip stopped%n", readyMs, served, after, ingressIps, detectMs);
    }

    /** A sample of a node's routing-mesh metrics: by event, port and protocol (event null: the unlabelled one). */
    private static double published(Mesh m, String metric, String event, int port, String protocol) {
        double[] found = {-1};
        new PublishedPortMetrics(m.parts().published()).collect((name, type, help, labels, value) -> {
            if (name.equals(metric) && (event == null ? labels.names().isEmpty()
                : event.equals(labels.value("event")) && Integer.toString(port).equals(labels.value("port"))
                    && protocol.equals(labels.value("protocol")))) {
                found[0] = value;
            }
        });
        return found[0];
    }

    /** The addresses of a node's published port's backends, empty when it does not listen. */
    private static Set<String> backendsOf(Mesh m, ServiceKey key) {
        Set<String> out = new TreeSet<>();
        m.parts().published().proxy(key).ifPresent(p -> {
            for (ProxyBackend b : p.backends().backends()) {
                out.add(b.address().getAddress().getHostAddress());
            }
        });
        return out;
    }

    /** From the client: connects to {@code address:port} (from local port {@code from}, 0 for any): name, peer. */
    private String[] ask(String address, int port, int from) {
        return client.netns().call(() -> {
            try (Socket s = new Socket()) {
                if (from != 0) {
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress(from));
                }
                s.connect(new InetSocketAddress(address, port), (int) CONNECT.toMillis());
                s.setSoTimeout((int) CONNECT.toMillis());
                StringBuilder line = new StringBuilder();
                var in = s.getInputStream();
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.append((char) b);
                }
                String[] words = line.toString().split(" ");
                assertEquals(2, words.length, "answered through " + address + ":" + port + ": " + line);
                return words;
            }
        });
    }

    /** From the client: a datagram to {@code address:port} (up to 3 tries, 2 s each); the answer. */
    private String askUdp(String address, int port) {
        return client.netns().call(() -> {
            try (DatagramSocket udp = new DatagramSocket()) {
                udp.setSoTimeout(2000);
                byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
                for (int attempt = 0; attempt < 3; attempt++) {
                    udp.send(new DatagramPacket(hello, hello.length, new InetSocketAddress(address, port)));
                    DatagramPacket reply = new DatagramPacket(new byte[64], 64);
                    try {
                        udp.receive(reply);
                        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
                    } catch (SocketTimeoutException again) {
                        // a datagram may be lost while the overlay resolves the backend
                    }
                }
                return "no answer";
            }
        });
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }
}
