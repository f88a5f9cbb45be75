package io.meshd.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.records.MeshEndpoint;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.MeshService;
import io.meshd.dns.records.ServiceMode;
import io.meshd.gossip.TableEvent;
import io.meshd.gossip.TableEvent.Kind;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.NodeValue;
import io.meshd.mesh.codec.ServiceValue;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Table events in, data-plane calls out: the translation on node {@code n1}, with a recording data plane. */
class TranslatorTest {
    private MeshModel model;
    private RecordingPlane plane;
    private Translator translator;

    @BeforeEach
    void setUp() {
        model = new MeshModel();
        plane = new RecordingPlane();
        translator = new Translator(plane, "n1");
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private List<String> event(Kind kind, MeshTable table, String key, String owner, byte[] value) {
        model.apply(TableEvent.of(kind, table.table(), key, owner, value));
        translator.sync(model);
        return plane.take();
    }

    private void cluster() throws Exception {
        event(Kind.PUT, MeshTable.NETWORKS, "front", "n1", new NetworkValue(ip("10.0.9.0"), 24, 42, Map.of()).encode());
        event(Kind.PUT, MeshTable.NODES, "n1", "n1", new NodeValue(ip("192.168.0.1"), 4789).encode());
        event(Kind.PUT, MeshTable.NODES, "n2", "n2", new NodeValue(ip("192.168.0.2"), 4790).encode());
        event(Kind.PUT, MeshTable.ENDPOINTS, "front/web.1", "n1", endpoint("10.0.9.5", "n1", "web"));
        event(Kind.PUT, MeshTable.SERVICES, "web", "n1", new ServiceValue(ServiceValue.Mode.VIP,
            List.of(new ServiceValue.NetworkVip("front", ip("10.0.9.100"))),
            List.of(new ServiceValue.Port(80, 8080, 6))).encode());
    }

    private static byte[] endpoint(String address, String node, String service) throws Exception {
        InetAddress a = ip(address);
        long mac = 0x0242_0000_0000L | (Byte.toUnsignedLong(a.getAddress()[2]) << 8) | a.getAddress()[3] & 0xff;
        return new EndpointValue(a, mac, node, service, List.of("w-" + address.replace('.', '-'))).encode();
    }

    @Test
    void shouldCreateTheNetworkAndBalanceTheLocalTaskWithoutFloodingToAnyone() throws Exception {
        List<String> calls = event(Kind.PUT, MeshTable.NETWORKS, "front", "n9",
            new NetworkValue(ip("10.0.9.0"), 24, 42, Map.of()).encode());
        assertEquals(List.of("addNetwork 42", "records"), calls);
        cluster();
        assertTrue(plane.take().isEmpty());
        // the local endpoint is a port of the switch, never a remote neighbor or flood target
        MeshNetwork front = plane.records.get(0);
        assertEquals(List.of(new MeshService("web", ServiceMode.VIP, List.of(ip("10.0.9.100")), List.of(), -1)),
            front.services());
        assertEquals("web.1", front.endpoints().get(0).name());
    }

    @Test
    void shouldFloodToAndForwardStaticallyToNodesWithEndpointsOnlyAndBalanceOverThem() throws Exception {
        event(Kind.PUT, MeshTable.NETWORKS, "front", "n1", new NetworkValue(ip("10.0.9.0"), 24, 42, Map.of()).encode());
        event(Kind.PUT, MeshTable.NODES, "n2", "n2", new NodeValue(ip("192.168.0.2"), 4790).encode());
        event(Kind.PUT, MeshTable.NODES, "n3", "n3", new NodeValue(ip("192.168.0.3"), 4789).encode());
        event(Kind.PUT, MeshTable.SERVICES, "web", "n3", new ServiceValue(ServiceValue.Mode.VIP,
            List.of(new ServiceValue.NetworkVip("front", ip("10.0.9.100"))),
            List.of(new ServiceValue.Port(80, 8080, 6))).encode());
        List<String> calls = event(Kind.PUT, MeshTable.ENDPOINTS, "front/web.2", "n2",
            endpoint("10.0.9.6", "n2", "web"));
        assertEquals(List.of("addNeighbor 42 10.0.9.6 24200000906 192.168.0.2:4790", "addRemote 42 192.168.0.2:4790",
            "putService 10.0.9.100:80/tcp -> 10.0.9.6:8080", "records"), calls);
        // n3 has no endpoint on front: not in the flood list
        assertTrue(calls.stream().noneMatch(c -> c.contains("192.168.0.3")));
        calls = event(Kind.HIDDEN, MeshTable.ENDPOINTS, "front/web.2", "n2", new byte[0]);
        assertEquals(List.of("removeNeighbor 42 10.0.9.6", "removeRemote 42 192.168.0.2:4790",
            "putService 10.0.9.100:80/tcp -> 10.0.9.6:8080(down)", "records"), calls);
        assertEquals(List.of(), plane.records.get(0).endpoints(), "a dead node's endpoint leaves DNS");
        calls = event(Kind.RESTORED, MeshTable.ENDPOINTS, "front/web.2", "n2", endpoint("10.0.9.6", "n2", "web"));
        assertEquals(List.of("addNeighbor 42 10.0.9.6 24200000906 192.168.0.2:4790", "addRemote 42 192.168.0.2:4790",
            "putService 10.0.9.100:80/tcp -> 10.0.9.6:8080", "records"), calls);
        calls = event(Kind.DELETE, MeshTable.SERVICES, "web", "n1", new byte[0]);
        assertEquals(List.of("removeService 10.0.9.100:80/tcp", "withdrawVip 42 10.0.9.100", "records"), calls);
        calls = event(Kind.DELETE, MeshTable.NETWORKS, "front", "n1", new byte[0]);
        assertEquals(List.of("records", "removeNetwork 42"), calls);
    }

    @Test
    void shouldWeighBackendsAsTheServiceSaysWithOneByDefaultAndDrainAtZero() throws Exception {
        event(Kind.PUT, MeshTable.NETWORKS, "front", "n1", new NetworkValue(ip("10.0.9.0"), 24, 42, Map.of()).encode());
        event(Kind.PUT, MeshTable.NODES, "n2", "n2", new NodeValue(ip("192.168.0.2"), 4790).encode());
        event(Kind.PUT, MeshTable.ENDPOINTS, "front/web.1", "n2", endpoint("10.0.9.5", "n2", "web"));
        event(Kind.PUT, MeshTable.ENDPOINTS, "front/web.2", "n2", endpoint("10.0.9.6", "n2", "web"));
        ServiceValue web = new ServiceValue(ServiceValue.Mode.VIP,
            List.of(new ServiceValue.NetworkVip("front", ip("10.0.9.100"))),
            List.of(new ServiceValue.Port(80, 8080, 6)));
        List<String> calls = event(Kind.PUT, MeshTable.SERVICES, "web", "n1", web.encode());
        assertTrue(calls.contains("putService 10.0.9.100:80/tcp -> 10.0.9.5:8080 10.0.9.6:8080"), calls.toString());
        calls = event(Kind.PUT, MeshTable.SERVICES, "web", "n1",
            web.withWeights(Map.of("web.1", 0, "web.2", 3)).encode());
        assertEquals(List.of("putService 10.0.9.100:80/tcp -> 10.0.9.5:8080=0 10.0.9.6:8080=3"), calls,
            "web.1 drained, web.2 weighs 3");
        calls = event(Kind.PUT, MeshTable.SERVICES, "web", "n1",
            web.withWeights(Map.of("web.1", 0, "web.2", 3)).withWeights(Map.of("web.1", 1)).encode());
        assertEquals(List.of("putService 10.0.9.100:80/tcp -> 10.0.9.5:8080 10.0.9.6:8080=3"), calls,
            "weight 1 is the default again");
        calls = event(Kind.HIDDEN, MeshTable.ENDPOINTS, "front/web.2", "n2", new byte[0]);
        assertTrue(calls.contains("putService 10.0.9.100:80/tcp -> 10.0.9.5:8080 10.0.9.6:8080=3(down)"),
            calls.toString());
    }

    @Test
    void shouldGiveDnsRecordsForTasksAliasesAndDnsrrServices() throws Exception {
        cluster();
        event(Kind.PUT, MeshTable.ENDPOINTS, "front/web.2", "n2", endpoint("10.0.9.6", "n2", "web"));
        event(Kind.PUT, MeshTable.SERVICES, "db", "n2", new ServiceValue(ServiceValue.Mode.DNSRR,
            List.of(new ServiceValue.NetworkVip("front", null)), List.of()).encode());
        MeshNetwork front = plane.records.get(0);
        assertEquals(List.of(
                new MeshEndpoint("web.1", List.of("w-10-0-9-5"), List.of(ip("10.0.9.5")), List.of("web"), -1),
                new MeshEndpoint("web.2", List.of("w-10-0-9-6"), List.of(ip("10.0.9.6")), List.of("web"), -1)),
            front.endpoints());
        assertEquals(ServiceMode.DNSRR, front.services().get(0).mode());
        assertEquals("db", front.services().get(0).name());
    }

    @Test
    void shouldRefuseAndCountABadValueWithoutThrowingAndReadTheKeyAsAbsent() throws Exception {
        cluster();
        event(Kind.PUT, MeshTable.ENDPOINTS, "front/web.2", "n2", endpoint("10.0.9.6", "n2", "web"));
        List<String> calls = event(Kind.UPDATE, MeshTable.ENDPOINTS, "front/web.2", "n2", new byte[] {1, 4, 10});
        assertEquals(1, model.refused().get(MeshTable.ENDPOINTS));
        assertTrue(calls.contains("removeNeighbor 42 10.0.9.6"), calls.toString());
        event(Kind.PUT, MeshTable.ENDPOINTS, "no-slash", "n2", endpoint("10.0.9.7", "n2", ""));
        event(Kind.PUT, MeshTable.NETWORKS, "back", "n2", new byte[] {9});
        assertEquals(2, model.refused().get(MeshTable.ENDPOINTS));
        assertEquals(1, model.refused().get(MeshTable.NETWORKS));
        assertEquals(1, model.networks().size());
    }

    @Test
    void shouldMoveANeighborWhenItsNodeChangesVtepAndForgetNodesThatDie() throws Exception {
        cluster();
        event(Kind.PUT, MeshTable.ENDPOINTS, "front/web.2", "n2", endpoint("10.0.9.6", "n2", "web"));
        List<String> calls = event(Kind.UPDATE, MeshTable.NODES, "n2", "n2",
            new NodeValue(ip("192.168.0.22"), 4790).encode());
        assertEquals(List.of("removeNeighbor 42 10.0.9.6", "addNeighbor 42 10.0.9.6 24200000906 192.168.0.22:4790",
            "removeRemote 42 192.168.0.2:4790", "addRemote 42 192.168.0.22:4790"), calls);
        calls = event(Kind.HIDDEN, MeshTable.NODES, "n2", "n2", new byte[0]);
        assertEquals(List.of("removeNeighbor 42 10.0.9.6", "removeRemote 42 192.168.0.22:4790"), calls);
    }
}
