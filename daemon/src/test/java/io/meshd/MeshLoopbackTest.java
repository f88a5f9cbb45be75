package io.meshd;

import static io.meshd.LoopbackPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.ServiceValue;
import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The facade without root: two nodes on loopback share networks and services through gossip, tell listeners, and
 * refuse bad requests with messages naming the problem. (Attaching needs namespaces: {@code MeshLabTest}.)
 */
class MeshLoopbackTest {
    private LoopbackPair pair;
    private Mesh a;
    private Mesh b;

    @BeforeEach
    void start() throws Exception {
        pair = LoopbackPair.start();
        a = pair.a;
        b = pair.b;
    }

    @AfterEach
    void stop() {
        pair.close();
    }

    @Test
    void shouldShareNetworksAndServicesAndTellListeners() throws Exception {
        List<MeshEvent> heard = new CopyOnWriteArrayList<>();
        List<Boolean> readInListener = new CopyOnWriteArrayList<>();
        b.addListener(heard::add);
        // a listener runs on the mesh thread and may read the mesh there (inline, no deadlock)
        b.addListener(e -> readInListener.add(e.kind() != MeshEvent.Kind.NETWORK
            || b.networks().containsKey(e.name()) == e.present()));
        NetworkValue front = a.createNetwork("front", "10.0.9.0/24", OptionalInt.empty());
        assertEquals(Mesh.FIRST_AUTOMATIC_VNI, front.vni());
        await(() -> b.networks().containsKey("front"));
        assertEquals(front, b.networks().get("front"));
        NetworkValue back = b.createNetwork("back", "10.0.10.0/24", OptionalInt.empty());
        assertEquals(Mesh.FIRST_AUTOMATIC_VNI + 1, back.vni(), "the next VNI b knows is free");
        b.createService("web", "front", InetAddress.getByName("10.0.9.100"), ServiceValue.Mode.VIP,
            List.of(new ServiceValue.Port(80, 8080, ServiceValue.Port.TCP)));
        await(() -> a.services().containsKey("web"));
        assertTrue(heard.contains(new MeshEvent(MeshEvent.Kind.NETWORK, "front", true)), heard.toString());
        await(() -> a.parts().services().services().size() == 1);
        assertTrue(a.parts().services().isVip(io.meshd.packet.Ipv4.parse("10.0.9.100")), "the VIP is balanced");
        assertTrue(a.removeService("web"));
        await(() -> b.services().isEmpty() && b.parts().services().services().isEmpty());
        assertTrue(b.removeNetwork("front"));
        await(() -> !a.networks().containsKey("front"));
        assertTrue(heard.contains(new MeshEvent(MeshEvent.Kind.NETWORK, "front", false)), heard.toString());
        assertFalse(a.removeNetwork("front"));
        assertFalse(readInListener.isEmpty());
        assertFalse(readInListener.contains(false), "a listener reads the state its event describes");
    }

    @Test
    void shouldGiveNetworksCreatedAtOnceOnTwoNodesDifferentAutomaticVnis() throws Exception {
        java.util.concurrent.CompletableFuture<NetworkValue> onA = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> create(a, "x1", "10.1.1.0/24"));
        java.util.concurrent.CompletableFuture<NetworkValue> onB = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> create(b, "x2", "10.1.2.0/24"));
        int va = onA.get().vni();
        int vb = onB.get().vni();
        assertTrue(va != vb, "both got VNI " + va);
        assertTrue(va >= Mesh.FIRST_AUTOMATIC_VNI && vb >= Mesh.FIRST_AUTOMATIC_VNI);
        await(() -> a.networks().size() == 2 && b.networks().size() == 2);
        assertEquals(a.networks(), b.networks());
        assertTrue(a.removeNetwork("x1"));
        await(() -> a.parts().gossip().entries("ipam").keySet().stream().noneMatch(k -> k.endsWith("/x1")));
    }

    private static NetworkValue create(Mesh m, String name, String cidr) {
        try {
            return m.createNetwork(name, cidr, OptionalInt.empty());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldCountAndIgnoreValuesOffTheSchemaFromTheWire() throws Exception {
        a.parts().gossip().put("networks", "bad", new byte[] {1, 4, 10, 0});
        a.parts().gossip().put("endpoints", "no-slash", new byte[] {1});
        a.createNetwork("good", "10.0.9.0/24", OptionalInt.of(5));
        // gossip sends the newest update first: wait for all three, whatever their order
        await(() -> b.networks().containsKey("good")
            && b.refusedValues().get(io.meshd.mesh.MeshTable.NETWORKS) == 1
            && b.refusedValues().get(io.meshd.mesh.MeshTable.ENDPOINTS) == 1);
        assertEquals(java.util.Set.of("good"), b.networks().keySet(), "the bad network is absent");
    }

    @Test
    void shouldRefuseBadRequestsNamingTheProblem() throws Exception {
        a.createNetwork("front", "10.0.9.0/24", OptionalInt.of(77));
        await(() -> b.networks().containsKey("front"));
        assertMessage("exists already", () -> b.createNetwork("front", "10.0.20.0/24", OptionalInt.empty()));
        assertMessage("overlaps network 'front'", () -> b.createNetwork("x", "10.0.0.0/16", OptionalInt.empty()));
        assertMessage("VNI 77", () -> b.createNetwork("y", "10.0.30.0/24", OptionalInt.of(77)));
        assertMessage("host bits", () -> b.createNetwork("z", "10.0.40.1/24", OptionalInt.empty()));
        assertMessage("not an IP address", () -> b.createNetwork("z", "example.com/24", OptionalInt.empty()));
        assertMessage("reserved", () -> b.createNetwork("vni", "10.0.60.0/24", OptionalInt.empty()));
        assertMessage("network name 'a/b'", () -> b.createNetwork("a/b", "10.0.50.0/24", OptionalInt.empty()));
        assertMessage("no network 'nope'", () -> b.createService("s", "nope", InetAddress.getByName("10.0.9.9"),
            ServiceValue.Mode.VIP, List.of()));
        assertMessage("is not in 'front'", () -> b.createService("s", "front", InetAddress.getByName("10.1.9.9"),
            ServiceValue.Mode.VIP, List.of()));
        assertMessage("broadcast", () -> b.createService("s", "front", InetAddress.getByName("10.0.9.255"),
            ServiceValue.Mode.VIP, List.of()));
        assertMessage("needs a VIP", () -> b.createService("s", "front", null, ServiceValue.Mode.VIP, List.of()));
        assertMessage("no network 'nope'", () -> b.attach(Mesh.attachment("nope", "ns1")
            .ip(InetAddress.getByName("10.0.9.5"))));
        assertMessage("own network namespace", () -> b.attach(Mesh.attachment("front", "/proc/self/ns/net")
            .name("x").ip(InetAddress.getByName("10.0.9.5"))));
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertMessage(String part, Call call) {
        RuntimeException e = assertThrows(RuntimeException.class, call::run);
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should say '" + part + "'");
    }

}
