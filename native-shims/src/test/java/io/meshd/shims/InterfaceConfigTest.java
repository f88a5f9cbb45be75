package io.meshd.shims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each binding against the real kernel, checked with iproute2's view of the namespace. */
class InterfaceConfigTest {

    @BeforeAll
    static void requireShims() {
        TestNamespace.requireShims();
    }

    @Test
    void shouldSetLinkUpAndDown() {
        try (TestNamespace ns = vethNamespace()) {
            ns.netns().run(() -> InterfaceConfig.up("v0"));
            assertTrue(flags(ns, "v0").contains("UP"), ns.ip("link"));
            ns.netns().run(() -> InterfaceConfig.down("v0"));
            assertFalse(flags(ns, "v0").contains("UP"), ns.ip("link"));
        }
    }

    @Test
    void shouldSetMtuAndMac() {
        try (TestNamespace ns = vethNamespace()) {
            ns.netns().run(() -> {
                InterfaceConfig.mtu("v0", 1450);
                InterfaceConfig.mac("v0", new byte[] {0x02, 0x42, 10, 0, 0, 7});
            });
            String link = ns.ip("-o", "link", "show", "v0");
            assertTrue(link.contains("mtu 1450"), link);
            assertTrue(link.contains("link/ether 02:42:0a:00:00:07"), link);
            assertThrows(IllegalArgumentException.class, () -> InterfaceConfig.mac("v0", new byte[5]));
        }
    }

    @Test
    void shouldCapTheSegmentsOfAGsoPacket() {
        try (TestNamespace ns = vethNamespace()) {
            ns.netns().run(() -> InterfaceConfig.gsoMaxSegments("v0", 44));
            String details = ns.ip("-d", "-o", "link", "show", "v0");
            assertTrue(details.contains("gso_max_segs 44"), details);
            assertThrows(IllegalArgumentException.class, () -> InterfaceConfig.gsoMaxSegments("v0", 0));
        }
    }

    @Test
    void shouldAddAndRemoveIpv4Addresses() throws Exception {
        Inet4Address address = (Inet4Address) InetAddress.getByName("10.203.4.5");
        try (TestNamespace ns = vethNamespace()) {
            ns.netns().run(() -> InterfaceConfig.addIpv4("v0", address, 20));
            String addresses = ns.ip("-o", "-4", "addr", "show", "dev", "v0");
            assertTrue(addresses.contains("inet 10.203.4.5/20 brd 10.203.15.255"), addresses);
            NativeException duplicate = assertThrows(NativeException.class,
                () -> ns.netns().run(() -> InterfaceConfig.addIpv4("v0", address, 20)));
            assertEquals(17, duplicate.errno(), "EEXIST from the kernel");
            assertTrue(duplicate.getMessage().startsWith("RTM_NEWADDR(v0 10.203.4.5/20): File exists"),
                duplicate.getMessage());
            ns.netns().run(() -> InterfaceConfig.removeIpv4("v0", address, 20));
            assertFalse(ns.ip("-o", "-4", "addr", "show", "dev", "v0").contains("10.203.4.5"));
        }
    }

    @Test
    void shouldMoveALinkToAnotherNamespaceAndDeleteIt() {
        try (TestNamespace from = vethNamespace(); TestNamespace to = TestNamespace.create()) {
            from.netns().run(() -> InterfaceConfig.moveToNamespace("v1", to.netns()));
            assertFalse(from.netns().call(() -> InterfaceConfig.exists("v1")));
            assertTrue(to.netns().call(() -> InterfaceConfig.exists("v1")));
            assertTrue(to.ip("-o", "link", "show", "v1").contains("v1@"), "still a veth end");
            to.netns().run(() -> InterfaceConfig.delete("v1"));
            assertFalse(to.netns().call(() -> InterfaceConfig.exists("v1")));
            assertFalse(from.netns().call(() -> InterfaceConfig.exists("v0")), "deleting one veth end removes both");
        }
    }

    @Test
    void shouldReportUnknownInterfacesWithErrno() {
        try (TestNamespace ns = TestNamespace.create()) {
            NativeException error = assertThrows(NativeException.class,
                () -> ns.netns().run(() -> InterfaceConfig.up("nosuch0")));
            assertEquals(19, error.errno());
            assertEquals("if_nametoindex(nosuch0): No such device (errno 19)", error.getMessage());
            assertFalse(ns.netns().call(() -> InterfaceConfig.exists("nosuch0")));
            assertTrue(ns.netns().call(() -> InterfaceConfig.index("lo")) > 0);
        }
    }

    @Test
    void shouldFormatMacs() {
        assertEquals("02:42:0a:ff:00:01", InterfaceConfig.formatMac(new byte[] {2, 0x42, 10, -1, 0, 1}));
    }

    /** The link flags iproute2 shows between angle brackets, e.g. [BROADCAST, MULTICAST, UP]. */
    private static java.util.List<String> flags(TestNamespace ns, String name) {
        String line = ns.ip("-o", "link", "show", name);
        return java.util.List.of(line.substring(line.indexOf('<') + 1, line.indexOf('>')).split(","));
    }

    private static TestNamespace vethNamespace() {
        TestNamespace ns = TestNamespace.create();
        ns.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
        return ns;
    }
}
