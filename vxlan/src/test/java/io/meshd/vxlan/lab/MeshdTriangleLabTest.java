package io.meshd.vxlan.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.Tshark;
import io.meshd.harness.Capture;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabSegment;
import io.meshd.harness.RequiresLab;
import io.meshd.net.IoTransport;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * meshd to meshd across three hosts on one underlay segment. VNI 42 has a container on every host and learns;
 * VNI 43 reuses the same subnet on hosts 1 and 2 and must stay apart. Host 1 also knows host 2's VNI-42 container
 * statically (neighbor + forwarding entry) so its ARP responder answers locally.
 */
@RequiresLab(commands = {"tshark", "ping"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshdTriangleLabTest {

    private static final String[] UNDERLAY = {"10.98.0.1", "10.98.0.2", "10.98.0.3"};
    private static final String[] VNI42 = {"192.168.42.11", "192.168.42.12", "192.168.42.13"};
    private static final String[] VNI43 = {"192.168.42.21", "192.168.42.22"};

    private Lab lab;
    private LabSegment underlay;
    private final List<MeshdHost> hosts = new ArrayList<>();
    private final List<LabHost> c42 = new ArrayList<>();
    private final List<LabHost> c43 = new ArrayList<>();

    @BeforeAll
    void build() throws Exception {
        lab = Lab.create();
        try {
            LabHost[] h = {lab.host("h1"), lab.host("h2"), lab.host("h3")};
            underlay = lab.segment("10.98.0.0/24", h);
            for (int i = 0; i < 3; i++) {
                List<String> others = new ArrayList<>();
                for (int j = 0; j < 3; j++) {
                    if (j != i) {
                        others.add(UNDERLAY[j]);
                    }
                }
                MeshdHost meshd = MeshdHost.start(h[i], UNDERLAY[i], IoTransport.AUTO);
                hosts.add(meshd);
                meshd.network(42, others.toArray(new String[0]));
                LabHost c = MeshdHost.container(lab, "c" + i);
                c42.add(c);
                meshd.attach(42, c, VNI42[i] + "/24");
                if (i < 2) {
                    meshd.network(43, UNDERLAY[1 - i]);
                    LabHost d = MeshdHost.container(lab, "d" + i);
                    c43.add(d);
                    meshd.attach(43, d, VNI43[i] + "/24");
                }
            }
            // Host 1 knows host 2's VNI-42 container: its ARP responder can answer for it.
            hosts.get(0).node().addNeighbor(42, Ipv4.parse(VNI42[1]), MacAddress.fromIpv4(Ipv4.parse(VNI42[1])),
                Ipv4.parse(UNDERLAY[1]));
        } catch (Exception | AssertionError e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    void tearDown() {
        hosts.forEach(MeshdHost::close);
        lab.close();
    }

    @Test
    void shouldFloodAndLearnAcrossThreeHosts() {
        c42.forEach(c -> c.execOk("ip", "neigh", "flush", "all"));
        // Host 3's container is not known anywhere: its ARP request is flooded to both other hosts.
        assertTrue(Traffic.ping(c42.get(2), VNI42[0]), "host 3 -> host 1 by flooding");
        assertTrue(Traffic.ping(c42.get(0), VNI42[2]), "host 1 -> host 3");
        assertTrue(Traffic.ping(c42.get(1), VNI42[2]), "host 2 -> host 3");
        long mac3 = MacAddress.fromIpv4(Ipv4.parse(VNI42[2]));
        assertTrue(hosts.get(0).node().fabric().forwardingTable().find(42, mac3).isPresent(),
            "host 1 learned host 3's container");
        // Having learned, host 1 sends unicast to host 3 only: host 2 receives nothing while host 1 pings host 3.
        long before = hosts.get(1).node().vtep().counters().rxDatagrams();
        assertTrue(c42.get(0).exec(Duration.ofSeconds(20), "ping", "-c", "10", "-i", "0.05", "-W", "2", VNI42[2])
            .ok());
        long after = hosts.get(1).node().vtep().counters().rxDatagrams();
        assertEquals(before, after, "host 2 received datagrams meant for host 3 after learning");
    }

    @Test
    void shouldAnswerArpLocallyWhenTheNeighborIsKnown() throws Exception {
        c42.get(0).execOk("ip", "neigh", "flush", "all");
        LabHost host1 = hosts.get(0).host();
        try (Capture capture = host1.capture(underlay.iface()).filter("udp port 4789").start()) {
            assertTrue(Traffic.ping(c42.get(0), VNI42[1]), "host 1 -> host 2 (known neighbor)");
            capture.awaitCount(f -> f.udpDestinationPort().orElse(0) == 4789, 4, Duration.ofSeconds(5));
            List<String> arp = Tshark.decode(host1, capture, "arp", "vxlan.vni", "arp.opcode",
                "arp.dst.proto_ipv4");
            assertTrue(arp.stream().noneMatch(l -> l.contains("\t1\t" + VNI42[1])),
                "an ARP request for the known neighbor crossed the underlay: " + arp);
            List<String> icmp = Tshark.decode(host1, capture, "icmp", "vxlan.vni");
            assertTrue(icmp.size() >= 4 && icmp.stream().allMatch("42"::equals), "the pings crossed: " + icmp);
        }
        assertTrue(c42.get(0).execOk("ip", "neigh", "show", VNI42[1]).stdout().contains(
            MacAddress.format(MacAddress.fromIpv4(Ipv4.parse(VNI42[1])))), "resolved by the responder");
    }

    @Test
    void shouldKeepTwoVnisApart() {
        assertTrue(Traffic.ping(c43.get(0), VNI43[1]), "VNI 43 works on its own");
        // Same subnet, other VNI: no path from VNI 42 to VNI 43 or back.
        assertFalse(Traffic.ping(c42.get(0), VNI43[1]), "VNI 42 reached a VNI 43 container");
        assertFalse(Traffic.ping(c43.get(0), VNI42[1]), "VNI 43 reached a VNI 42 container");
    }
}
