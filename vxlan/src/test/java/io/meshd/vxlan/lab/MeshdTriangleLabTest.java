package io.meshd.vxlan.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.RequiresLab;
import io.meshd.vxlan.frame.Ipv4;
import io.meshd.vxlan.frame.MacAddress;
import io.meshd.vxlan.vtep.Transport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * meshd to meshd across three hosts on one underlay bridge. VNI 42 has a container on every host and learns;
 * VNI 43 reuses the same subnet on hosts 1 and 2 and must stay apart. Host 1 also knows host 2's VNI-42 container
 * statically (neighbor + forwarding entry) so its ARP responder answers locally.
 */
@RequiresLab(commands = {"tshark", "ping", "bridge"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshdTriangleLabTest {

    private static final String[] UNDERLAY = {"10.98.0.1", "10.98.0.2", "10.98.0.3"};
    private static final String[] VNI42 = {"192.168.42.11", "192.168.42.12", "192.168.42.13"};
    private static final String[] VNI43 = {"192.168.42.21", "192.168.42.22"};

    private final List<Netns> namespaces = new ArrayList<>();
    private final List<MeshdHost> hosts = new ArrayList<>();
    private final List<Netns> c42 = new ArrayList<>();
    private final List<Netns> c43 = new ArrayList<>();

    @BeforeAll
    void build() throws Exception {
        try {
            Netns sw = ns("vxsw");
            sw.ip("link", "add", "br0", "type", "bridge");
            sw.ip("link", "set", "br0", "up");
            for (int i = 0; i < 3; i++) {
                Netns host = ns("vxh" + i);
                Sh.check("ip", "link", "add", "eth0", "netns", host.name(), "type", "veth", "peer", "name", "p" + i,
                    "netns", sw.name());
                host.ip("addr", "add", UNDERLAY[i] + "/24", "dev", "eth0");
                host.ip("link", "set", "eth0", "up");
                sw.ip("link", "set", "p" + i, "master", "br0");
                sw.ip("link", "set", "p" + i, "up");
                List<String> others = new ArrayList<>();
                for (int j = 0; j < 3; j++) {
                    if (j != i) {
                        others.add(UNDERLAY[j]);
                    }
                }
                MeshdHost meshd = MeshdHost.start(host, UNDERLAY[i], Transport.AUTO, true, true);
                hosts.add(meshd);
                meshd.network(42, others.toArray(new String[0]));
                Netns c = container("vxc" + i);
                c42.add(c);
                meshd.attach(42, c, VNI42[i] + "/24");
                if (i < 2) {
                    meshd.network(43, UNDERLAY[1 - i]);
                    Netns d = container("vxd" + i);
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

    private Netns ns(String prefix) {
        Netns n = Netns.create(prefix);
        namespaces.add(n);
        return n;
    }

    private Netns container(String prefix) {
        Netns n = Netns.container(prefix);
        namespaces.add(n);
        return n;
    }

    @AfterAll
    void tearDown() {
        hosts.forEach(MeshdHost::close);
        namespaces.forEach(Netns::close);
    }

    @Test
    void shouldFloodAndLearnAcrossThreeHosts() {
        c42.forEach(c -> c.ip("neigh", "flush", "all"));
        // Host 3's container is not known anywhere: its ARP request is flooded to both other hosts.
        assertTrue(c42.get(2).ping(VNI42[0]), "host 3 -> host 1 by flooding");
        assertTrue(c42.get(0).ping(VNI42[2]), "host 1 -> host 3");
        assertTrue(c42.get(1).ping(VNI42[2]), "host 2 -> host 3");
        // Having seen traffic, host 1 learned host 3's container MAC behind host 3's VTEP: unicast to it is no
        // longer flooded, so host 2 receives nothing while host 1 pings host 3.
        long before = hosts.get(1).node().vtep().counters().rxDatagrams();
        assertTrue(c42.get(0).run(20, "ping", "-c", "10", "-i", "0.05", "-W", "2", VNI42[2]).exitCode == 0);
        long after = hosts.get(1).node().vtep().counters().rxDatagrams();
        assertEquals(before, after, "host 2 received datagrams meant for host 3 after learning");
    }

    @Test
    void shouldAnswerArpLocallyWhenTheNeighborIsKnown() throws Exception {
        c42.get(0).ip("neigh", "flush", "all");
        try (UnderlayCapture capture = UnderlayCapture.start(hosts.get(0).host(), "eth0", 4789)) {
            assertTrue(c42.get(0).ping(VNI42[1]), "host 1 -> host 2 (known neighbor)");
            List<String> arp = capture.stopAndDecode("arp", "vxlan.vni", "arp.opcode", "arp.dst.proto_ipv4");
            assertTrue(arp.stream().noneMatch(l -> l.contains("\t1\t" + VNI42[1])),
                "an ARP request for the known neighbor crossed the underlay: " + arp);
        }
        assertTrue(c42.get(0).ip("neigh", "show", VNI42[1]).contains(
            MacAddress.format(MacAddress.fromIpv4(Ipv4.parse(VNI42[1])))), "resolved by the responder");
    }

    @Test
    void shouldKeepTwoVnisApart() {
        assertTrue(c43.get(0).ping(VNI43[1]), "VNI 43 works on its own");
        // Same subnet, other VNI: no path from VNI 42 to VNI 43 or back.
        assertFalse(c42.get(0).ping(VNI43[1]), "VNI 42 reached a VNI 43 container");
        assertFalse(c43.get(0).ping(VNI42[1]), "VNI 43 reached a VNI 42 container");
    }
}
