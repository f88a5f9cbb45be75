package io.meshd.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meshd.mesh.codec.NetworkValue;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The block arithmetic of automatic addresses: blocks per subnet, the lowest free address of a block. */
class AddressBlocksTest {

    private static NetworkValue net(String cidr) throws Exception {
        String[] p = cidr.split("/");
        return new NetworkValue(InetAddress.getByName(p[0]), Integer.parseInt(p[1]), 7, Map.of());
    }

    @Test
    void shouldCutSubnetsIntoBlocksOfSixteen() throws Exception {
        assertEquals(16, AddressBlocks.blocks(net("10.0.9.0/24")));
        assertEquals(4096, AddressBlocks.blocks(net("10.0.0.0/16")));
        assertEquals(4, AddressBlocks.blocks(net("10.0.9.0/26")));
        assertEquals(1, AddressBlocks.blocks(net("10.0.9.0/27")), "too small to share: one block");
    }

    @Test
    void shouldPickTheLowestFreeAddressOfTheBlockSkippingNetworkAndBroadcast() throws Exception {
        NetworkValue n = net("10.0.9.0/24");
        assertEquals(InetAddress.getByName("10.0.9.1"), AddressBlocks.pick(n, 0, Set.of()));
        assertEquals(InetAddress.getByName("10.0.9.32"), AddressBlocks.pick(n, 2, Set.of()));
        assertEquals(InetAddress.getByName("10.0.9.34"), AddressBlocks.pick(n, 2,
            Set.of(InetAddress.getByName("10.0.9.32"), InetAddress.getByName("10.0.9.33"))));
        Set<InetAddress> used = new HashSet<>();
        for (int i = 240; i < 255; i++) {
            used.add(InetAddress.getByName("10.0.9." + i));
        }
        assertThrows(IllegalStateException.class, () -> AddressBlocks.pick(n, 15, used), "255 is the broadcast");
        assertEquals(InetAddress.getByName("10.0.9.30"), AddressBlocks.pick(net("10.0.9.0/27"), 0,
            Set.of(InetAddress.getByName("10.0.9.1"), InetAddress.getByName("10.0.9.2"),
                InetAddress.getByName("10.0.9.3"), InetAddress.getByName("10.0.9.4"),
                InetAddress.getByName("10.0.9.5"), InetAddress.getByName("10.0.9.6"),
                InetAddress.getByName("10.0.9.7"), InetAddress.getByName("10.0.9.8"),
                InetAddress.getByName("10.0.9.9"), InetAddress.getByName("10.0.9.10"),
                InetAddress.getByName("10.0.9.11"), InetAddress.getByName("10.0.9.12"),
                InetAddress.getByName("10.0.9.13"), InetAddress.getByName("10.0.9.14"),
                InetAddress.getByName("10.0.9.15"), InetAddress.getByName("10.0.9.16"),
                InetAddress.getByName("10.0.9.17"), InetAddress.getByName("10.0.9.18"),
                InetAddress.getByName("10.0.9.19"), InetAddress.getByName("10.0.9.20"),
                InetAddress.getByName("10.0.9.21"), InetAddress.getByName("10.0.9.22"),
                InetAddress.getByName("10.0.9.23"), InetAddress.getByName("10.0.9.24"),
                InetAddress.getByName("10.0.9.25"), InetAddress.getByName("10.0.9.26"),
                InetAddress.getByName("10.0.9.27"), InetAddress.getByName("10.0.9.28"),
                InetAddress.getByName("10.0.9.29"))), "a one-block subnet uses all of it");
    }
}
