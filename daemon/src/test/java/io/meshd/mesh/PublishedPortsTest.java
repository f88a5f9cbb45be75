package io.meshd.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.MeshRequestException;
import io.meshd.lb.Protocol;
import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceKey;
import io.meshd.gossip.TableEvent;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.net.IoTransport;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The routing mesh's parts that need no root: turned off, reserved names, a port published twice, the count a network
 * removal checks.
 */
class PublishedPortsTest {

    @Test
    void shouldDoNothingButSayWhyWhenTurnedOff() {
        try (PublishedPorts p = new PublishedPorts("n1", IoTransport.AUTO, false)) {
            p.start(null); // never attaches anything when off
            p.offer(Map.of(new ServiceKey(0, 8080, Protocol.TCP), new Published("web", List.of("front"),
                List.of(new ServiceBackend(0x0a000905, 80, 1, true)))));
            assertTrue(p.listening().isEmpty(), "nothing listens");
            assertEquals("turned off in the node's options", p.unavailable().orElseThrow());
            assertEquals(0, p.bindFailures());
            assertEquals("meshd-in-n1", p.namespace());
        }
    }

    @Test
    void shouldReserveIngressNamesForTheIngressNamespace() {
        try (PublishedPorts p = new PublishedPorts("n1", IoTransport.AUTO, false)) {
            MeshRequestException e = assertThrows(MeshRequestException.class,
                () -> p.checkEndpointName("_ingress-n1", "c1"));
            assertEquals(MeshRequestException.Kind.INVALID, e.kind());
            assertTrue(e.getMessage().contains("reserved for the routing mesh"), e.getMessage());
            p.checkEndpointName("_ingress-n1", "meshd-in-n1");
            p.checkEndpointName("web.1", "c1");
        }
    }

    @Test
    void shouldNameTheServiceThatPublishesAPortAlready() throws Exception {
        MeshModel model = new MeshModel();
        model.apply(TableEvent.of(TableEvent.Kind.PUT, MeshTable.SERVICES.table(), "web", "n1", new ServiceValue(
            ServiceValue.Mode.VIP, List.of(new ServiceValue.NetworkVip("front", InetAddress.getByName("10.0.9.100"))),
            List.of(new ServiceValue.Port(8080, 80, ServiceValue.Port.TCP))).encode()));
        ServiceValue.Port tcp = new ServiceValue.Port(8080, 81, ServiceValue.Port.TCP);
        assertEquals(Optional.of("web"), PublishedState.publisher(model, "api", tcp));
        assertEquals(Optional.empty(), PublishedState.publisher(model, "web", tcp), "a service may keep its own port");
        assertEquals(Optional.empty(), PublishedState.publisher(model, "api",
            new ServiceValue.Port(8080, 80, ServiceValue.Port.UDP)), "the other protocol is free");
    }

    @Test
    void shouldNotCountIngressEndpointsAsAttachedToANetwork() {
        List<EndpointKey> keys = List.of(new EndpointKey("front", "_ingress-n1"),
            new EndpointKey("front", "_ingress-n2"), new EndpointKey("front", "web.1"),
            new EndpointKey("back", "db.1"));
        assertEquals(1, PublishedState.attachedBesidesIngress(keys, "front"));
        assertEquals(0, PublishedState.attachedBesidesIngress(keys.subList(0, 2), "front"));
    }
}
