package io.meshd.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshd.gossip.TableEvent;
import io.meshd.gossip.TableEvent.Kind;
import io.meshd.lb.MaglevTable;
import io.meshd.lb.Protocol;
import io.meshd.lb.Service;
import io.meshd.lb.ServiceKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.NodeValue;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.packet.Ipv4;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The mesh sizes each service's Maglev table to its backends: two nodes that receive the same gossip in different
 * orders build the identical table, at {@link MaglevTable#ladderSize} of the backend count, also when the count
 * crosses a rung.
 */
class ServiceTableSizeTest {
    private static final ServiceKey WEB = new ServiceKey(Ipv4.parse("10.0.9.250"), 80, Protocol.TCP);

    /** One node: its model, translator and the service table its data plane fills. */
    private static final class Node {
        final MeshModel model = new MeshModel();
        final RecordingPlane plane = new RecordingPlane();
        final Translator translator;

        Node(String name) {
            translator = new Translator(plane, name);
        }

        void apply(TableEvent e) {
            model.apply(e);
            translator.sync(model);
        }

        Service web() {
            return plane.services.service(WEB).orElseThrow();
        }
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static TableEvent put(MeshTable table, String key, String owner, byte[] value) {
        return TableEvent.of(Kind.PUT, table.table(), key, owner, value);
    }

    private static TableEvent endpoint(int i) throws Exception {
        String node = "n" + (1 + i % 3);
        InetAddress a = ip("10.0.9." + (10 + i));
        return put(MeshTable.ENDPOINTS, "front/web." + i, node,
            new EndpointValue(a, 0x0242_0a00_0900L + 10 + i, node, "web", List.of()).encode());
    }

    private static TableEvent deleteEndpoint(int i) {
        return TableEvent.of(Kind.DELETE, MeshTable.ENDPOINTS.table(), "front/web." + i, "n" + (1 + i % 3),
            new byte[0]);
    }

    /** The network, three nodes, the service and {@code n} endpoints of it, in the order a first node sees them. */
    private static List<TableEvent> cluster(int n) throws Exception {
        List<TableEvent> events = new ArrayList<>();
        events.add(put(MeshTable.NETWORKS, "front", "n1", new NetworkValue(ip("10.0.9.0"), 24, 42, Map.of()).encode()));
        for (int i = 1; i <= 3; i++) {
            events.add(put(MeshTable.NODES, "n" + i, "n" + i, new NodeValue(ip("192.168.0." + i), 4789).encode()));
        }
        events.add(put(MeshTable.SERVICES, "web", "n1", new ServiceValue(ServiceValue.Mode.VIP,
            List.of(new ServiceValue.NetworkVip("front", ip("10.0.9.250"))),
            List.of(new ServiceValue.Port(80, 8080, 6))).encode()));
        for (int i = 0; i < n; i++) {
            events.add(endpoint(i));
        }
        return events;
    }

    /** The backend id each slot names, so two tables compare by identity. */
    private static String[] owners(Service s) {
        MaglevTable t = s.table();
        String[] owners = new String[t.size()];
        for (int i = 0; i < owners.length; i++) {
            owners[i] = t.slot(i) == MaglevTable.NO_BACKEND ? "" : t.backends().get(t.slot(i)).id();
        }
        return owners;
    }

    private static void assertSameTable(Node a, Node b, int backends) {
        assertEquals(backends, a.web().backends().size());
        assertEquals(MaglevTable.ladderSize(backends), a.web().table().size(), "n1's table size");
        assertEquals(MaglevTable.ladderSize(backends), b.web().table().size(), "n2's table size");
        assertArrayEquals(owners(a.web()), owners(b.web()));
    }

    @Test
    void shouldBuildTheIdenticalTableAtTheLadderSizeWhateverOrderTheGossipArrives() throws Exception {
        Node a = new Node("n1");
        Node b = new Node("n2");
        List<TableEvent> events = cluster(25);
        events.forEach(a::apply);
        List<TableEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(13));
        shuffled.forEach(b::apply);
        assertSameTable(a, b, 25);
        assertEquals(4093, a.web().table().size(), "25 backends: the smallest rung of at least 2500 slots");

        // 15 leave, in different orders: the count crosses two rungs down, both nodes follow alike
        List<TableEvent> leaving = new ArrayList<>();
        for (int i = 10; i < 25; i++) {
            leaving.add(deleteEndpoint(i));
        }
        leaving.forEach(a::apply);
        Collections.shuffle(leaving, new Random(14));
        leaving.forEach(b::apply);
        assertSameTable(a, b, 10);
        assertEquals(1021, a.web().table().size());
    }

    @Test
    void shouldKeepTheSizeWhenANodesBackendsGoDownAsTheyStayBackends() throws Exception {
        Node a = new Node("n1");
        Node b = new Node("n2");
        List<TableEvent> events = cluster(11);
        events.forEach(a::apply);
        Collections.reverse(events);
        events.forEach(b::apply);
        assertSameTable(a, b, 11);
        // n2's endpoints hidden (n2 suspected dead): still backends, down, so the size stays at 11 backends' rung
        for (int i = 1; i < 11; i += 3) {
            TableEvent hidden = TableEvent.of(Kind.HIDDEN, MeshTable.ENDPOINTS.table(), "front/web." + i, "n2",
                new byte[0]);
            a.apply(hidden);
            b.apply(hidden);
        }
        assertSameTable(a, b, 11);
        assertEquals(2039, a.web().table().size());
        assertEquals(7, a.web().table().backends().stream().filter(x -> x.weight() > 0).count(), "4 down");
    }
}
