package io.meshd;

import static io.meshd.LoopbackPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceKey;
import io.meshd.mesh.MeshTable;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.ServiceValue;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the local API asks of the facade, without root: backend weights and their refusals, automatic subnets,
 * refusal kinds (INVALID, NOT_FOUND, CONFLICT) of every request, namespace paths checked before anything is
 * attached. Two nodes on loopback; endpoints are written to the table as {@code attach} writes them.
 */
class MeshLoopbackRequestsTest {
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

    /** An endpoint of node {@code m}, written as {@link Mesh#attach} writes it. */
    private static void endpoint(Mesh m, String network, String name, String ip, String service) throws Exception {
        InetAddress addr = InetAddress.getByName(ip);
        byte[] raw = addr.getAddress();
        long mac = 0x0242_0000_0000L | (raw[0] & 0xffL) << 24 | (raw[1] & 0xffL) << 16 | (raw[2] & 0xffL) << 8
            | raw[3] & 0xffL;
        m.parts().gossip().put(MeshTable.ENDPOINTS.table(), new EndpointKey(network, name).key(),
            new EndpointValue(addr, mac, m.name(), service, List.of()).encode());
    }

    @Test
    void shouldWeighAndDrainBackendsEverywhereAndRefuseBadWeights() throws Exception {
        a.createNetwork("front", "10.0.9.0/24", OptionalInt.of(42));
        await(() -> b.networks().containsKey("front"));
        a.createService("web", "front", InetAddress.getByName("10.0.9.100"), ServiceValue.Mode.VIP,
            List.of(new ServiceValue.Port(80, 8080, ServiceValue.Port.TCP)));
        endpoint(b, "front", "web.1", "10.0.9.5", "web");
        endpoint(b, "front", "web.2", "10.0.9.6", "web");
        endpoint(b, "front", "db.1", "10.0.9.7", "db");
        await(() -> a.backends("web").size() == 2);
        assertEquals(List.of(
            new Backend("web.1", "front", InetAddress.getByName("10.0.9.5"), "b", 1, true),
            new Backend("web.2", "front", InetAddress.getByName("10.0.9.6"), "b", 1, true)), a.backends("web"));

        ServiceValue v = a.setWeights("web", Map.of("web.1", 0, "web.2", 5));
        assertEquals(Map.of("web.1", 0, "web.2", 5), v.weights());
        ServiceKey key = ServiceKey.parse("10.0.9.100:80/tcp");
        // b's load balancer drains web.1 and weighs web.2 5
        await(() -> b.parts().services().service(key).map(x -> x.backends().stream()
            .mapToInt(ServiceBackend::weight).sum() == 5).orElse(false));
        assertEquals(List.of(0, 5), b.parts().services().service(key).orElseThrow().backends().stream()
            .map(ServiceBackend::weight).toList());
        assertEquals(0, b.backends("web").get(0).weight());
        // merged: web.2 back to the default 1, web.1 stays drained
        assertEquals(Map.of("web.1", 0), b.setWeights("web", Map.of("web.2", 1)).weights());
        await(() -> a.services().get("web").weights().equals(Map.of("web.1", 0)));

        assertKind(MeshRequestException.Kind.NOT_FOUND, "no service 'nope'",
            () -> a.setWeights("nope", Map.of("web.1", 0)));
        assertKind(MeshRequestException.Kind.INVALID, "0..1000", () -> a.setWeights("web", Map.of("web.1", -1)));
        assertKind(MeshRequestException.Kind.INVALID, "0..1000", () -> a.setWeights("web", Map.of("web.1", 1001)));
        assertKind(MeshRequestException.Kind.INVALID, "'db.1' is not a task of service 'web'",
            () -> a.setWeights("web", Map.of("db.1", 0)));
        assertKind(MeshRequestException.Kind.INVALID, "'web.9' is not a task",
            () -> a.setWeights("web", Map.of("web.9", 0)));
        Map<String, Integer> many = new HashMap<>();
        for (int i = 0; i <= ServiceValue.MAX_WEIGHTS; i++) {
            endpoint(b, "front", "w" + i, "10.0.9." + (20 + i), "web");
            many.put("w" + i, 0);
        }
        await(() -> a.backends("web").size() == 2 + ServiceValue.MAX_WEIGHTS + 1);
        assertKind(MeshRequestException.Kind.INVALID, "at most " + ServiceValue.MAX_WEIGHTS,
            () -> a.setWeights("web", many));
        assertKind(MeshRequestException.Kind.NOT_FOUND, "no service 'nope'", () -> a.backends("nope"));
        // the weights outlive an endpoint that goes: a weighted name can still be cleared
        b.parts().gossip().delete(MeshTable.ENDPOINTS.table(), "front/web.1");
        await(() -> a.backends("web").stream().noneMatch(x -> x.endpoint().equals("web.1")));
        assertEquals(Map.of(), a.setWeights("web", Map.of("web.1", 1)).weights());
    }

    @Test
    void shouldDeriveAutomaticSubnetsFromTheVniAndSkipTakenOnes() throws Exception {
        // VNI 4200 = 0x1068: 10.16.104.0/24
        assertEquals("10.16.104.0/24", a.createNetwork("n1", Optional.empty(), OptionalInt.of(4200)).cidr());
        a.createNetwork("explicit", "10.16.105.0/24", OptionalInt.of(9));
        await(() -> b.networks().size() == 2);
        // 4201 would be 10.16.105.0/24, taken by an explicit subnet: the next one up that is free
        assertEquals("10.16.106.0/24", b.createNetwork("n2", Optional.empty(), OptionalInt.of(4201)).cidr());
        await(() -> a.networks().size() == 3);
        // 4200 + 65536 derives 10.16.104.0/24 as well: 104, 105 and 106 are taken
        NetworkValue far = a.createNetwork("n3", Optional.empty(), OptionalInt.of(4200 + 65536));
        assertEquals("10.16.107.0/24", far.cidr());
        // a /16 covering automatic subnets is refused as overlapping
        assertKind(MeshRequestException.Kind.CONFLICT, "overlaps network",
            () -> a.createNetwork("wide", "10.16.0.0/16", OptionalInt.of(10)));
        await(() -> b.networks().size() == 4);
        assertEquals(a.networks(), b.networks());
    }

    @Test
    void shouldRefuseEveryRequestWithItsKind() throws Exception {
        a.createNetwork("front", "10.0.9.0/24", OptionalInt.of(77));
        await(() -> b.networks().containsKey("front"));
        MeshRequestException.Kind invalid = MeshRequestException.Kind.INVALID;
        MeshRequestException.Kind notFound = MeshRequestException.Kind.NOT_FOUND;
        MeshRequestException.Kind conflict = MeshRequestException.Kind.CONFLICT;
        assertKind(conflict, "exists already", () -> b.createNetwork("front", "10.0.20.0/24", OptionalInt.empty()));
        assertKind(conflict, "overlaps", () -> b.createNetwork("x", "10.0.0.0/16", OptionalInt.empty()));
        assertKind(conflict, "VNI 77", () -> b.createNetwork("y", "10.0.30.0/24", OptionalInt.of(77)));
        assertKind(invalid, "host bits", () -> b.createNetwork("z", "10.0.40.1/24", OptionalInt.empty()));
        assertKind(invalid, "prefix length", () -> b.createNetwork("z", "10.0.40.0/33", OptionalInt.empty()));
        assertKind(invalid, "VNI must be", () -> b.createNetwork("z", "10.0.40.0/24", OptionalInt.of(0)));
        assertKind(invalid, "VNI must be", () -> b.createNetwork("z", Optional.empty(), OptionalInt.of(1 << 24)));
        assertKind(invalid, "bad prefix", () -> b.createNetwork("z", "10.0.40.0/x", OptionalInt.empty()));
        assertKind(invalid, "not an IP address", () -> b.createNetwork("z", "example.com/24", OptionalInt.empty()));
        assertKind(invalid, "reserved", () -> b.createNetwork("vni", "10.0.60.0/24", OptionalInt.empty()));
        InetAddress vip = InetAddress.getByName("10.0.9.100");
        List<ServiceValue.Port> none = List.of();
        assertKind(notFound, "no network 'nope'", () -> b.createService("s", "nope", vip, ServiceValue.Mode.VIP,
            none));
        assertKind(invalid, "needs a VIP", () -> b.createService("s", "front", null, ServiceValue.Mode.VIP, none));
        assertKind(invalid, "has no VIP", () -> b.createService("s", "front", vip, ServiceValue.Mode.DNSRR, none));
        assertKind(invalid, "is not in 'front'", () -> b.createService("s", "front",
            InetAddress.getByName("10.1.9.9"), ServiceValue.Mode.VIP, none));
        b.createService("s", "front", vip, ServiceValue.Mode.VIP, none);
        await(() -> a.services().containsKey("s"));
        assertKind(conflict, "service 's' exists already", () -> a.createService("s", "front", null,
            ServiceValue.Mode.DNSRR, none));
        assertKind(conflict, "is the VIP of 's'", () -> a.createService("t", "front", vip, ServiceValue.Mode.VIP,
            none));
        InetAddress ip = InetAddress.getByName("10.0.9.5");
        assertKind(notFound, "no network 'nope'", () -> b.attach(Mesh.attachment("nope", "ns1").ip(ip)));
        assertKind(notFound, "no network 'nope'", () -> b.attach(Mesh.attachment("nope", "ns1")));
        assertKind(notFound, "no network namespace 'meshd-no-such-ns'",
            () -> b.attach(Mesh.attachment("front", "meshd-no-such-ns").ip(ip)));
        assertKind(notFound, "no network namespace '/proc/0/ns/net'",
            () -> b.attach(Mesh.attachment("front", "/proc/0/ns/net").name("x").ip(ip)));
        assertKind(invalid, "is not a network namespace", () -> b.attach(Mesh.attachment("front", "/etc/hostname")
            .name("x").ip(ip)));
        assertKind(invalid, "own network namespace", () -> b.attach(Mesh.attachment("front",
            "/proc/" + ProcessHandle.current().pid() + "/ns/net").name("x").ip(ip)));
        assertKind(invalid, "has no name to give the endpoint", () -> b.attach(Mesh.attachment("front",
            "/proc/self/ns/net").ip(ip)));
        assertKind(invalid, "neither a name nor an absolute path", () -> b.attach(Mesh.attachment("front",
            "netns/c1").ip(ip)));
        assertFalse(b.detach("front", "never-attached"));
        assertFalse(b.detach("front", "/proc/self/ns/net"));
        assertFalse(b.removeService("nope"));
        assertFalse(b.removeNetwork("nope"));
        endpoint(a, "front", "web.1", "10.0.9.5", "");
        await(() -> b.endpoints().size() == 1);
        assertKind(conflict, "has 1 endpoint(s) attached", () -> b.removeNetwork("front"));
        assertKind(conflict, "is endpoint 'web.1''s", () -> b.createService("u", "front", ip, ServiceValue.Mode.VIP,
            none));
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertKind(MeshRequestException.Kind kind, String part, Call call) {
        MeshRequestException e = assertThrows(MeshRequestException.class, call::run);
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should say '" + part + "'");
    }

}
