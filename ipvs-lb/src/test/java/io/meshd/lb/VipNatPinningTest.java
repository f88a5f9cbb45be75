package io.meshd.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.packet.EthernetView;
import io.meshd.packet.Ipv4;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Flows keep their backend across backend-set changes while pinned; Maglev decides only for new flows. */
class VipNatPinningTest {
    private static final int IP = EthernetView.HEADER_LENGTH;
    private static final long SECOND = 1_000_000_000L;
    private static final int CLIENT = Ipv4.parse("10.0.9.2");
    private static final int VIP = Ipv4.parse("10.0.9.100");
    private static final ServiceKey WEB = ServiceKey.parse("10.0.9.100:80/tcp");
    private static final List<ServiceBackend> THREE = List.of(ServiceBackend.parse("10.0.9.5:8080"),
        ServiceBackend.parse("10.0.9.6:8080"), ServiceBackend.parse("10.0.9.7:8080"));
    private static final ServiceBackend FOURTH = ServiceBackend.parse("10.0.9.9:8080");

    private long now = SECOND;
    private final ServiceTable table = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
    private final FlowPinTable pins = FlowPinTable.withDefaults();
    private final VipNat nat = new VipNat(table, pins, () -> now);

    /** Sends the client's segment from {@code port} through the NAT; returns the backend it reached. */
    private int send(VipNat through, int port) {
        UnsafeBuffer segment = VipNatTest.tcp(CLIENT, VIP, port, 80, 0);
        assertEquals(NatVerdict.TRANSLATED, through.toBackend(segment, IP, segment.capacity() - IP));
        return through.lastAddress();
    }

    /** Whether the backend's reply to {@code port} is translated back to the VIP. */
    private boolean replyTranslated(int backend, int port) {
        UnsafeBuffer reply = VipNatTest.tcp(backend, CLIENT, 8080, port, 0);
        return nat.toClient(reply, IP, reply.capacity() - IP) == NatVerdict.TRANSLATED;
    }

    /** Client ports whose Maglev pick differs between the three-backend and the four-backend table. */
    private List<Integer> portsMovedByAddingTheFourth() {
        ServiceTable four = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        four.put(WEB, List.of(THREE.get(0), THREE.get(1), THREE.get(2), FOURTH));
        ServiceTable three = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        three.put(WEB, THREE);
        List<Integer> moved = new ArrayList<>();
        for (int port = 20_000; port < 20_400; port++) {
            int before = send(new VipNat(three, FlowPinTable.create(8, SECOND, SECOND), () -> 0L), port);
            int after = send(new VipNat(four, FlowPinTable.create(8, SECOND, SECOND), () -> 0L), port);
            if (before != after) {
                moved.add(port);
            }
        }
        assertTrue(moved.size() > 50, "about a quarter of 400 flows move to the new backend: " + moved.size());
        return moved;
    }

    @Test
    void shouldKeepEstablishedFlowsOnTheirBackendWhenABackendIsAdded() {
        List<Integer> moved = portsMovedByAddingTheFourth();
        table.put(WEB, THREE);
        int[] first = new int[moved.size()];
        for (int i = 0; i < moved.size(); i++) {
            first[i] = send(nat, moved.get(i));
        }

        table.put(WEB, List.of(THREE.get(0), THREE.get(1), THREE.get(2), FOURTH));

        for (int i = 0; i < moved.size(); i++) {
            assertEquals(first[i], send(nat, moved.get(i)), "port " + moved.get(i) + " keeps its backend");
            assertTrue(replyTranslated(first[i], moved.get(i)), "and its replies still show the VIP");
        }
        assertEquals(FOURTH.ip(), send(nat, firstNewFlowOnFourth()),
            "a new flow can reach the new backend");
    }

    /** A client port in 30,000+ whose flow Maglev sends to the fourth backend. */
    private int firstNewFlowOnFourth() {
        ServiceTable four = ServiceTable.withTableSize(MaglevTable.DEFAULT_SIZE);
        four.put(WEB, List.of(THREE.get(0), THREE.get(1), THREE.get(2), FOURTH));
        for (int port = 30_000; ; port++) {
            if (send(new VipNat(four, FlowPinTable.create(8, SECOND, SECOND), () -> 0L), port) == FOURTH.ip()) {
                return port;
            }
        }
    }

    @Test
    void shouldKeepAnIdleConnectionPastDockersNineHundredSecondsAcrossABackendChange() {
        List<Integer> moved = portsMovedByAddingTheFourth();
        table.put(WEB, THREE);
        int port = moved.get(0);
        int backend = send(nat, port);

        now += 1_000 * SECOND;
        table.put(WEB, List.of(THREE.get(0), THREE.get(1), THREE.get(2), FOURTH));

        assertTrue(replyTranslated(backend, port), "the backend's keepalive after 1,000 s idle still shows the VIP");
        assertEquals(backend, send(nat, port), "the client's next segment still reaches its backend");
    }

    @Test
    void shouldLetADrainingBackendKeepItsFlowsButTakeNoNewOnes() {
        table.put(WEB, THREE);
        ServiceBackend draining = THREE.get(1);
        List<Integer> itsFlows = new ArrayList<>();
        for (int port = 20_000; port < 20_100; port++) {
            if (send(nat, port) == draining.ip()) {
                itsFlows.add(port);
            }
        }
        assertTrue(itsFlows.size() > 10, "about a third of 100 flows: " + itsFlows.size());

        table.update(WEB, draining.id(), b -> b.withWeight(0));

        for (int port : itsFlows) {
            assertEquals(draining.ip(), send(nat, port), "pinned flow " + port + " stays while draining");
        }
        for (int port = 40_000; port < 40_300; port++) {
            assertNotEquals(draining.ip(), send(nat, port), "new flow " + port);
        }
    }

    @Test
    void shouldMoveFlowsOffABackendThatFailedOrWasRemoved() {
        table.put(WEB, THREE);
        int port = 20_000;
        while (send(nat, port) != THREE.get(0).ip()) {
            port++;
        }

        table.update(WEB, THREE.get(0).id(), b -> b.withHealthy(false));
        int afterFailure = send(nat, port);
        table.put(WEB, List.of(THREE.get(1), THREE.get(2)));
        int afterRemoval = send(nat, port);

        assertNotEquals(THREE.get(0).ip(), afterFailure);
        assertNotEquals(THREE.get(0).ip(), afterRemoval);
        assertTrue(replyTranslated(afterRemoval, port), "the new backend's replies show the VIP");
        assertFalse(replyTranslated(THREE.get(0).ip(), port), "the old backend no longer owns the flow");
    }
}
