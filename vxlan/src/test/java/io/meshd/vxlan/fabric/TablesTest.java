package io.meshd.vxlan.fabric;

import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TablesTest {
    private static final RemoteVtep PEER = RemoteVtep.parse("10.1.0.2");
    private final MutableClock clock = new MutableClock();
    private final SwitchFabric fabric = SwitchFabric.builder().clock(clock).agingTime(Duration.ofSeconds(10))
        .maxEntries(100).build();
    private final ForwardingTable table = fabric.forwardingTable();

    @Test
    void shouldInternRemoteVteps() {
        assertSame(RemoteVtep.of(Ipv4.parse("10.1.0.2"), 4789), RemoteVtep.parse("10.1.0.2:4789"));
        assertEquals(4789, PEER.port());
        assertEquals("10.1.0.2:4789", PEER.toString());
        assertNotSame(RemoteVtep.of(1, 4789), RemoteVtep.of(1, 8472));
        assertThrows(IllegalArgumentException.class, () -> RemoteVtep.of(1, 70000));
        assertThrows(IllegalArgumentException.class, () -> RemoteVtep.parse("10.1.0.2:x"));
    }

    @Test
    void shouldGrowAndShrinkTheForwardingTable() {
        for (int i = 1; i <= 1000; i++) {
            table.putRemote(i % 3, i, RemoteVtep.of(i));
        }
        assertEquals(1000, table.size());
        for (int i = 1; i <= 1000; i++) {
            assertEquals(RemoteVtep.of(i), table.lookup(i % 3, i).remoteVtep().orElseThrow());
            assertSame(FdbEntry.MISS, table.lookup((i + 1) % 3, i));
        }
        for (int i = 1; i <= 1000; i += 2) {
            assertTrue(table.remove(i % 3, i));
        }
        assertEquals(500, table.size());
        assertFalse(table.remove(1 % 3, 1));
        assertEquals(500, table.entries().size());
        assertEquals(1000 / 6, table.removeNetwork(0), "even multiples of 3 are left in VNI 0");
    }

    @Test
    void shouldRemoveEntriesOfAVtep() {
        table.putRemote(1, 10, PEER);
        table.putRemote(2, 11, PEER);
        table.learnRemote(1, 12, PEER);
        table.putRemote(1, 13, RemoteVtep.parse("10.1.0.3"));

        assertEquals(3, table.removeVtep(PEER));
        assertEquals(1, table.size());
    }

    @Test
    void shouldStopLearningAtTheLimitButAcceptStaticEntries() {
        for (int i = 1; i <= 150; i++) {
            table.learnRemote(1, i, PEER);
        }
        assertEquals(100, table.size());
        table.putRemote(1, 1000, PEER);
        assertEquals(101, table.size());
    }

    @Test
    void shouldHoldNeighborsPerNetwork() {
        NeighborTable neighbors = fabric.neighborTable();
        int ip = Ipv4.parse("10.0.0.5");
        long mac = MacAddress.fromIpv4(ip);

        neighbors.put(1, ip, mac);

        assertEquals(mac, neighbors.lookup(1, ip));
        assertEquals(NeighborTable.NONE, neighbors.lookup(2, ip));
        assertEquals(mac, neighbors.entries(1).get((long) ip));
        assertThrows(IllegalArgumentException.class, () -> neighbors.put(1, ip, MacAddress.BROADCAST));
        assertTrue(neighbors.remove(1, ip));
        assertEquals(NeighborTable.NONE, neighbors.lookup(1, ip));
        assertEquals(0, neighbors.size());
    }

    @Test
    void shouldKeepFloodListsPerNetworkWithoutDuplicates() {
        FloodList flood = fabric.floodList();
        RemoteVtep other = RemoteVtep.parse("10.1.0.3");

        assertTrue(flood.add(1, PEER));
        assertFalse(flood.add(1, PEER));
        assertTrue(flood.add(1, other));
        assertTrue(flood.add(2, PEER));

        assertEquals(List.of(PEER, other), flood.members(1));
        assertEquals(2, flood.removeVtep(PEER));
        assertEquals(List.of(other), flood.members(1));
        assertEquals(List.of(), flood.members(2));
        assertFalse(flood.remove(1, PEER));
        flood.removeNetwork(1);
        assertEquals(List.of(), flood.members(1));
    }
}
