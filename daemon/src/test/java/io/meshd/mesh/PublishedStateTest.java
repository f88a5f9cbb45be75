package io.meshd.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.gossip.TableEvent;
import io.meshd.gossip.TableEvent.Kind;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.NodeValue;
import io.meshd.mesh.codec.ServiceValue;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routing mesh's desired state: table events in, the published ports handed to the data plane out (on node
 * {@code n1}, with a recording data plane). Each published port's backends are the service's live endpoints on any
 * node at the target port; the ingress endpoints are never backends and never in DNS.
 */
class PublishedStateTest {
    private MeshModel model;
    private RecordingPlane plane;
    private Translator translator;

    @BeforeEach
    void setUp() throws Exception {
        model = new MeshModel();
        plane = new RecordingPlane();
        translator = new Translator(plane, "n1");
        event(Kind.PUT, MeshTable.NETWORKS, "front", "n1", new NetworkValue(ip("10.0.9.0"), 24, 42, Map.of()).encode());
        event(Kind.PUT, MeshTable.NETWORKS, "back", "n1", new NetworkValue(ip("10.0.8.0"), 24, 43, Map.of()).encode());
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    /** Applies one event and syncs; returns the routing mesh's calls it caused. */
    private List<String> event(Kind kind, MeshTable table, String key, String owner, byte[] value) {
        model.apply(TableEvent.of(kind, table.table(), key, owner, value));
        translator.sync(model);
        List<String> out = List.copyOf(plane.publishedCalls);
        plane.publishedCalls.clear();
        return out;
    }

    private static byte[] endpoint(String address, String node, String service) throws Exception {
        InetAddress a = ip(address);
        long mac = 0x0242_0000_0000L | (Byte.toUnsignedLong(a.getAddress()[2]) << 8) | a.getAddress()[3] & 0xff;
        return new EndpointValue(a, mac, node, service, List.of()).encode();
    }

    private static byte[] service(ServiceValue.Mode mode, String vip, ServiceValue.Port... ports) throws Exception {
        return new ServiceValue(mode, List.of(new ServiceValue.NetworkVip("front", vip == null ? null : ip(vip))),
            List.of(ports)).encode();
    }

    @Test
    void shouldPublishEveryLiveTaskOnAnyNodeAtTheTargetPort() throws Exception {
        event(Kind.PUT, MeshTable.ENDPOINTS, "front/web.1", "n1", endpoint("10.0.9.5", "n1", "web"));
        event(Kind.PUT, MeshTable.ENDPOINTS, "front/web.2", "n2", endpoint("10.0.9.6", "n2", "web"));
        event(Kind.PUT, MeshTable.ENDPOINTS, "front/db.1", "n3", endpoint("10.0.9.7", "n3", "db"));
        List<String> calls = event(Kind.PUT, MeshTable.SERVICES, "web", "n2", service(ServiceValue.Mode.VIP,
            "10.0.9.100", new ServiceValue.Port(8080, 80, ServiceValue.Port.TCP),
            new ServiceValue.Port(5353, 53, ServiceValue.Port.UDP)));
        assertEquals(List.of("published 5353/udp=web[front] -> 10.0.9.5:53 10.0.9.6:53;"
            + " 8080/tcp=web[front] -> 10.0.9.5:80 10.0.9.6:80;"), sorted(calls));

        // a third task on n3: added; n2 dies (its endpoint hidden): its task leaves the published backends
        calls = event(Kind.PUT, MeshTable.ENDPOINTS, "front/web.3", "n3", endpoint("10.0.9.8", "n3", "web"));
        assertTrue(calls.get(0).contains("8080/tcp=web[front] -> 10.0.9.5:80 10.0.9.6:80 10.0.9.8:80;"),
            calls::toString);
        calls = event(Kind.HIDDEN, MeshTable.ENDPOINTS, "front/web.2", "n2", new byte[0]);
        assertTrue(calls.get(0).contains("8080/tcp=web[front] -> 10.0.9.5:80 10.0.9.8:80;"),
            "a dead node's task is no published backend: " + calls);
        // a change that does not touch the published ports: no call
        assertEquals(List.of(), event(Kind.PUT, MeshTable.ENDPOINTS, "front/other", "n2",
            endpoint("10.0.9.9", "n2", "")));
        calls = event(Kind.RESTORED, MeshTable.ENDPOINTS, "front/web.2", "n2", endpoint("10.0.9.6", "n2", "web"));
        assertTrue(calls.get(0).contains("-> 10.0.9.5:80 10.0.9.6:80 10.0.9.8:80;"), calls::toString);
        // detached: gone
        calls = event(Kind.DELETE, MeshTable.ENDPOINTS, "front/web.1", "n1", new byte[0]);
        assertTrue(calls.get(0).contains("8080/tcp=web[front] -> 10.0.9.6:80 10.0.9.8:80;"), calls::toString);
        // the service goes: no published port left
        assertEquals(List.of("published"), event(Kind.DELETE, MeshTable.SERVICES, "web", "n2", new byte[0]));
    }

    @Test
    void shouldPublishDnsrrServicesAndServicesWithoutTasksButNotServicesWithoutPorts() throws Exception {
        assertEquals(List.of("published 9000/tcp=rr[front] ->;"), event(Kind.PUT, MeshTable.SERVICES, "rr", "n1",
            service(ServiceValue.Mode.DNSRR, null, new ServiceValue.Port(9000, 9000, ServiceValue.Port.TCP))));
        assertEquals(List.of("published 9000/tcp=rr[front] -> 10.0.9.5:9000;"), event(Kind.PUT,
            MeshTable.ENDPOINTS, "front/rr.1", "n2", endpoint("10.0.9.5", "n2", "rr")));
        assertEquals(List.of(), event(Kind.PUT, MeshTable.SERVICES, "internal", "n1",
            service(ServiceValue.Mode.VIP, "10.0.9.101")));
    }

    @Test
    void shouldGiveAPortPublishedTwiceToTheFirstServiceByName() throws Exception {
        event(Kind.PUT, MeshTable.SERVICES, "web", "n1", service(ServiceValue.Mode.VIP, "10.0.9.100",
            new ServiceValue.Port(8080, 80, ServiceValue.Port.TCP)));
        List<String> calls = event(Kind.PUT, MeshTable.SERVICES, "api", "n2", service(ServiceValue.Mode.VIP,
            "10.0.9.101", new ServiceValue.Port(8080, 81, ServiceValue.Port.TCP),
            new ServiceValue.Port(8080, 81, ServiceValue.Port.UDP)));
        assertEquals(List.of("published 8080/tcp=api[front] ->; 8080/udp=api[front] ->;"), sorted(calls));
    }

    @Test
    void shouldNeverMakeTheIngressEndpointABackendOrADnsName() throws Exception {
        event(Kind.PUT, MeshTable.NODES, "n2", "n2", new NodeValue(ip("192.168.0.2"), 4789).encode());
        event(Kind.PUT, MeshTable.SERVICES, "web", "n1", service(ServiceValue.Mode.VIP, "10.0.9.100",
            new ServiceValue.Port(8080, 80, ServiceValue.Port.TCP)));
        List<String> calls = event(Kind.PUT, MeshTable.ENDPOINTS, "front/" + PublishedPorts.endpointName("n2"), "n2",
            endpoint("10.0.9.20", "n2", ""));
        assertEquals(List.of(), calls, "an ingress endpoint changes no published port");
        assertFalse(plane.records.stream().flatMap(n -> n.endpoints().stream())
                .anyMatch(e -> e.name().startsWith("_ingress")),
            "no DNS name for an ingress endpoint: " + plane.records);
        assertTrue(plane.calls.stream().anyMatch(c -> c.startsWith("addNeighbor 42 10.0.9.20")),
            "but it is a neighbor, so replies find their way to it: " + plane.calls);
        assertEquals("_ingress-n2", PublishedPorts.endpointName("n2"));
        String longName = "n".repeat(64);
        assertEquals(64, PublishedPorts.endpointName(longName).length());
        assertTrue(PublishedPorts.isIngress(PublishedPorts.endpointName(longName)));
    }

    /** The ports of one call in a stable order (the map's order is not specified). */
    private static List<String> sorted(List<String> calls) {
        return calls.stream().map(c -> {
            String[] parts = c.substring("published ".length()).split("; ?");
            Arrays.sort(parts);
            return "published " + String.join("; ", parts) + ";";
        }).toList();
    }
}
