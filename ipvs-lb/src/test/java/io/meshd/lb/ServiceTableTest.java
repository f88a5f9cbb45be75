package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.packet.Ipv4;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServiceTableTest {
    private static final ServiceKey WEB = ServiceKey.parse("10.0.9.100:80/tcp");
    private static final ServiceKey DNS = ServiceKey.parse("10.0.9.101:53/udp");

    private static List<ServiceBackend> three() {
        return List.of(ServiceBackend.parse("10.0.9.5:8080"), ServiceBackend.parse("10.0.9.6:8080"),
            ServiceBackend.parse("10.0.9.7:8080=2"));
    }

    @Test
    void shouldFindAServiceByTheFieldsOfAFrame() {
        ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        Service web = table.put(WEB, three());

        assertSame(web, table.serviceOrNull(Ipv4.parse("10.0.9.100"), 80, 6));
        assertNull(table.serviceOrNull(Ipv4.parse("10.0.9.100"), 80, 17), "TCP service, UDP frame");
        assertNull(table.serviceOrNull(Ipv4.parse("10.0.9.100"), 81, 6), "another port");
    }

    @Test
    void shouldPickTheSameBackendForAFlowOnEveryNode() {
        ServiceTable nodeA = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        ServiceTable nodeB = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        nodeA.put(WEB, three());
        nodeB.put(WEB, List.of(three().get(2), three().get(0), three().get(1)));
        Service a = nodeA.service(WEB).orElseThrow();
        Service b = nodeB.service(WEB).orElseThrow();
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            long flow = random.nextLong();
            int pa = a.pick(flow);
            int pb = b.pick(flow);
            assertEquals(a.backendIp(pa), b.backendIp(pb), "flow " + flow);
            assertEquals(a.backendPort(pa), b.backendPort(pb));
        }
    }

    @Test
    void shouldSizeEachServicesTableToItsBackendsAlikeOnEveryNode() {
        ServiceTable nodeA = ServiceTable.sizedByBackends();
        ServiceTable nodeB = ServiceTable.sizedByBackends();
        List<ServiceBackend> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(ServiceBackend.parse("10.0.9." + (10 + i) + ":8080"));
        }
        nodeA.put(WEB, many);
        List<ServiceBackend> shuffled = new ArrayList<>(many);
        Collections.shuffle(shuffled, new Random(3));
        nodeB.put(WEB, shuffled);
        Service a = nodeA.service(WEB).orElseThrow();
        Service b = nodeB.service(WEB).orElseThrow();
        assertEquals(4093, a.table().size(), "30 backends: the smallest rung of at least 3000 slots");
        assertEquals(4093, nodeA.tableSize(30));
        for (int s = 0; s < a.table().size(); s++) {
            assertEquals(a.backendIp(a.table().slot(s)), b.backendIp(b.table().slot(s)), "slot " + s);
        }
        // a change of health keeps the count, hence the size
        Service sick = nodeA.update(WEB, "10.0.9.10:8080", x -> x.withHealthy(false)).orElseThrow();
        assertEquals(4093, sick.table().size());
        nodeA.put(WEB, three());
        assertEquals(1021, nodeA.service(WEB).orElseThrow().table().size(), "3 backends: the floor");
        assertEquals(MaglevTable.DEFAULT_SIZE, ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE).tableSize(3));
    }

    @Test
    void shouldStopSendingNewFlowsToAnUnhealthyOrDrainingBackend() {
        ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        table.put(WEB, three());
        Service sick = table.update(WEB, "10.0.9.6:8080", b -> b.withHealthy(false)).orElseThrow();
        Service drained = table.update(WEB, "10.0.9.7:8080", b -> b.withWeight(0)).orElseThrow();

        int sickIndex = indexOf(sick, "10.0.9.6:8080");
        assertEquals(0, sick.table().slotCounts()[sickIndex], "unhealthy takes no new flows");
        assertEquals(MaglevTable.DEFAULT_SIZE, drained.table().slotCounts()[indexOf(drained, "10.0.9.5:8080")],
            "only the healthy, weighted backend is left");
        assertSame(drained, table.service(WEB).orElseThrow(), "the update is published");
    }

    @Test
    void shouldRebuildOnlyTheServiceThatChanged() {
        ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        table.put(WEB, three());
        Service dns = table.put(DNS, List.of(ServiceBackend.parse("10.0.9.8:53")));
        Service webBefore = table.service(WEB).orElseThrow();

        table.update(WEB, "10.0.9.5:8080", b -> b.withWeight(3));

        assertSame(dns, table.service(DNS).orElseThrow(), "the other service is untouched");
        assertNotEquals(webBefore, table.service(WEB).orElseThrow());
    }

    @Test
    void shouldAnswerNoBackendWhenEveryBackendIsDown() {
        ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        table.put(WEB, List.of(ServiceBackend.parse("10.0.9.5:8080")));
        Service down = table.update(WEB, "10.0.9.5:8080", b -> b.withHealthy(false)).orElseThrow();

        assertEquals(MaglevTable.NO_BACKEND, down.pick(42L));
    }

    @Test
    void shouldReportUnknownServicesAndBackendsAsAbsent() {
        ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        table.put(WEB, three());

        assertTrue(table.update(DNS, "10.0.9.5:8080", b -> b).isEmpty(), "no such service");
        assertTrue(table.update(WEB, "10.9.9.9:1", b -> b).isEmpty(), "no such backend");
        assertTrue(table.remove(WEB));
        assertFalse(table.remove(WEB));
        assertTrue(table.services().isEmpty());
    }

    @Test
    void shouldRefuseBadTextWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.parse("10.0.9.100"));
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.parse("10.0.9.100:0/tcp"));
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.parse("10.0.9.100:80/sctp"));
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.parse("web:80/tcp"));
        assertThrows(IllegalArgumentException.class, () -> ServiceBackend.parse("10.0.9.5:80=heavy"));
        assertThrows(IllegalArgumentException.class, () -> ServiceBackend.parse("10.0.9.5:70000"));
        assertThrows(IllegalArgumentException.class, () -> ServiceTable.withTableSize(65_536));
        ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        assertThrows(IllegalArgumentException.class, () -> table.put(WEB,
            List.of(ServiceBackend.parse("10.0.9.5:80"), ServiceBackend.parse("10.0.9.5:80=2"))));
        assertEquals(new ServiceKey(Ipv4.parse("10.0.9.100"), 53, Protocol.UDP), ServiceKey.parse("10.0.9.100:53/UDP"));
    }

    private static int indexOf(Service service, String id) {
        for (int i = 0; i < service.backends().size(); i++) {
            if (service.backends().get(i).id().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no backend " + id);
    }
}
