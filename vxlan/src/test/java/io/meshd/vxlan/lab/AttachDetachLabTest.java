package io.meshd.vxlan.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.RequiresLab;
import io.meshd.net.IoTransport;
import io.meshd.vxlan.fabric.NeighborTable;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.tap.TapPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Attach configures the interface inside the container and connects it; detach undoes every part of it. */
@RequiresLab(commands = {"ping"})
class AttachDetachLabTest {

    @Test
    void shouldConfigureTheInterfaceAndRemoveItWithItsEntries() throws Exception {
        try (Lab lab = Lab.create()) {
            LabHost host = lab.host("h");
            host.execOk("ip", "addr", "add", "10.95.0.1/32", "dev", "lo");
            LabHost c1 = MeshdHost.container(lab, "c1");
            LabHost c2 = MeshdHost.container(lab, "c2");
            try (MeshdHost meshd = MeshdHost.start(host, "10.95.0.1", IoTransport.AUTO)) {
                meshd.network(7);
                TapPort p1 = meshd.node().attach(7,
                    Attachment.parse(c1.name() + ":web0:192.168.7.1/24:02:00:00:00:07:01", 1400));
                meshd.attach(7, c2, "192.168.7.2/24");
                String link = c1.execOk("ip", "-o", "link", "show", "web0").stdout();
                assertTrue(link.contains("mtu 1400") && link.contains("02:00:00:00:07:01") && link.contains("UP"),
                    link);
                assertTrue(c1.execOk("ip", "-o", "addr", "show", "web0").stdout().contains("192.168.7.1/24"));
                String details = c1.execOk("ip", "-d", "-o", "link", "show", "web0").stdout();
                assertTrue(details.contains("gso_max_segs 46"), "a super-frame fits one UDP GSO send at MTU 1400: "
                    + details);
                assertTrue(c2.execOk("ip", "-o", "link", "show", "eth0").stdout().contains("02:42:c0:a8:07:02"),
                    "default MAC is 02:42 + the IPv4 bytes");
                assertTrue(Traffic.ping(c1, "192.168.7.2"), "two containers on one host switch locally");

                long mac1 = MacAddress.parse("02:00:00:00:07:01");
                assertTrue(meshd.node().fabric().forwardingTable().find(7, mac1).isPresent());
                assertEquals(mac1, meshd.node().fabric().neighborTable().lookup(7, Ipv4.parse("192.168.7.1")));
                meshd.node().detach(p1);
                assertFalse(c1.exec("ip", "link", "show", "web0").ok(), "interface removed");
                assertFalse(meshd.node().fabric().forwardingTable().find(7, mac1).isPresent(), "FDB entry removed");
                assertEquals(NeighborTable.NONE,
                    meshd.node().fabric().neighborTable().lookup(7, Ipv4.parse("192.168.7.1")), "neighbor removed");
                assertFalse(Traffic.ping(c2, "192.168.7.1"));
            }
            assertFalse(c2.exec("ip", "link", "show", "eth0").ok(), "closing the node detaches the rest");
        }
    }

    @ParameterizedTest(name = "{0} queue(s)")
    @ValueSource(ints = {1, 2})
    void shouldReleaseAPersistentAttachmentKeepingTheInterfaceAndAttachToItAgain(int queues) throws Exception {
        try (Lab lab = Lab.create()) {
            LabHost host = lab.host("h");
            host.execOk("ip", "addr", "add", "10.95.0.1/32", "dev", "lo");
            LabHost c1 = MeshdHost.container(lab, "c1");
            LabHost c2 = MeshdHost.container(lab, "c2");
            try (MeshdHost meshd = MeshdHost.start(host, "10.95.0.1", IoTransport.AUTO, 1, queues)) {
                meshd.network(7);
                Attachment a = Attachment.parse(c1.name() + ":eth0:192.168.7.1/24", 1450);
                TapPort p1 = meshd.node().attach(7, a, true);
                meshd.attach(7, c2, "192.168.7.2/24");
                assertTrue(Traffic.ping(c1, "192.168.7.2"), "attached");

                long started = System.nanoTime();
                meshd.node().release(p1);
                long releasedMillis = (System.nanoTime() - started) / 1_000_000;
                String link = c1.execOk("ip", "-o", "addr", "show", "eth0").stdout();
                assertTrue(link.contains("192.168.7.1/24"), "the interface stays with its address: " + link);
                assertTrue(c1.execOk("ip", "-o", "link", "show", "eth0").stdout().contains("NO-CARRIER"),
                    "no descriptor holds it");
                assertEquals(NeighborTable.NONE,
                    meshd.node().fabric().neighborTable().lookup(7, Ipv4.parse("192.168.7.1")), "disconnected");
                assertTrue(releasedMillis < 2000, "every reader woke and stopped, none waited out the limit: "
                    + releasedMillis + " ms");

                TapPort again = meshd.node().reattach(7, a);
                assertEquals(queues, again.queueCount());
                assertTrue(Traffic.ping(c1, "192.168.7.2"), "connected again through the re-opened TAP");
                meshd.node().detach(again);
                assertFalse(c1.exec("ip", "link", "show", "eth0").ok(), "detach removes a persistent interface");
            }
        }
    }
}
