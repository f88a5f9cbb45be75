package io.meshd.vxlan.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.Tshark;
import io.meshd.harness.Capture;
import io.meshd.harness.LabHost;
import io.meshd.harness.RequiresLab;
import io.meshd.net.IoTransport;
import io.meshd.vxlan.codec.DropReason;
import io.meshd.vxlan.testing.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Interop with the Linux kernel's VXLAN: meshd on host A (transport {@code auto}), a kernel vxlan device on host B.
 * Ping, ARP, TCP and UDP both ways, the wire decoded by tshark, and bad datagrams at the meshd VTEP.
 */
@RequiresLab(commands = {"tshark", "socat", "ping", "ethtool"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelInteropLabTest {

    private KernelPair lab;

    @BeforeAll
    void build() throws Exception {
        lab = KernelPair.start(IoTransport.AUTO);
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldPingBothWays() {
        assertTrue(Traffic.ping(lab.containerA, KernelPair.KERNEL_CONTAINER), "meshd side -> kernel side");
        assertTrue(Traffic.ping(lab.containerB, KernelPair.MESHD_CONTAINER), "kernel side -> meshd side");
    }

    @Test
    void shouldResolveArpBothWays() {
        String kernelMac = lab.containerB.mac("eth0");
        lab.containerA.execOk("ip", "neigh", "flush", "all");
        lab.containerB.execOk("ip", "neigh", "flush", "all");
        assertTrue(Traffic.ping(lab.containerA, KernelPair.KERNEL_CONTAINER));
        assertTrue(neighbors(lab.containerA, KernelPair.KERNEL_CONTAINER).contains(kernelMac),
            "meshd side resolved the kernel side's MAC " + kernelMac);
        lab.containerA.execOk("ip", "neigh", "flush", "all");
        lab.containerB.execOk("ip", "neigh", "flush", "all");
        assertTrue(Traffic.ping(lab.containerB, KernelPair.MESHD_CONTAINER));
        assertTrue(neighbors(lab.containerB, KernelPair.MESHD_CONTAINER).contains("02:42:c0:a8:2a:01"),
            "kernel side resolved the meshd side's Docker-style MAC");
    }

    @Test
    void shouldTransferFiftyMegabytesOverTcpIntactBothWays() throws Exception {
        Traffic.tcpTransfer(lab.containerA, lab.containerB, KernelPair.KERNEL_CONTAINER, 5001, 50 << 20);
        Traffic.tcpTransfer(lab.containerB, lab.containerA, KernelPair.MESHD_CONTAINER, 5001, 50 << 20);
    }

    @Test
    void shouldCarryUdpBothWays() throws Exception {
        assertTrue(Traffic.udpMessage(lab.containerA, lab.containerB, KernelPair.KERNEL_CONTAINER, 5002, "to-kernel"));
        assertTrue(Traffic.udpMessage(lab.containerB, lab.containerA, KernelPair.MESHD_CONTAINER, 5002, "to-meshd"));
    }

    @Test
    void shouldPutVxlanThatTsharkDecodesOnTheUnderlay() throws Exception {
        try (Capture capture = lab.hostA.capture(lab.underlayA).filter("udp port 4789").start()) {
            assertTrue(Traffic.ping(lab.containerA, KernelPair.KERNEL_CONTAINER));
            // Two echo requests and two replies, each one VXLAN datagram.
            capture.awaitCount(f -> f.udpDestinationPort().orElse(0) == 4789, 4, Duration.ofSeconds(5));
            List<String> packets = Tshark.decode(lab.hostA, capture, "icmp", "vxlan.vni", "ip.src", "ip.dst",
                "udp.dstport");
            String out = String.join("\n", packets);
            assertTrue(packets.contains("42\t" + KernelPair.MESHD_UNDERLAY + "," + KernelPair.MESHD_CONTAINER + "\t"
                + KernelPair.KERNEL_UNDERLAY + "," + KernelPair.KERNEL_CONTAINER + "\t4789"), "meshd -> kernel:\n"
                + out);
            assertTrue(packets.contains("42\t" + KernelPair.KERNEL_UNDERLAY + "," + KernelPair.KERNEL_CONTAINER + "\t"
                + KernelPair.MESHD_UNDERLAY + "," + KernelPair.MESHD_CONTAINER + "\t4789"), "kernel -> meshd:\n"
                + out);
        }
    }

    @Test
    void shouldDropAndCountBadDatagramsFromTheUnderlay() throws Exception {
        long unknownBefore = lab.meshd.node().fabric().counters().get(DropReason.UNKNOWN_VNI);
        long flagsBefore = lab.meshd.node().fabric().counters().get(DropReason.BAD_FLAGS);
        long truncatedBefore = lab.meshd.node().fabric().counters().get(DropReason.TRUNCATED);
        String to = "UDP-SENDTO:" + KernelPair.MESHD_UNDERLAY + ":4789";
        // VNI 43 (unknown), flags 0 (no I bit), 5 bytes (truncated), then a VXLAN header with a 3-byte "frame".
        send(to, "\\010\\000\\000\\000\\000\\000\\053\\000" + frameHex());
        send(to, "\\000\\000\\000\\000\\000\\000\\052\\000" + frameHex());
        send(to, "\\010\\000\\000\\000\\000");
        send(to, "\\010\\000\\000\\000\\000\\000\\052\\000abc");
        var drops = lab.meshd.node().fabric().counters();
        // Waits for all four to be counted (a datagram counted twice would overshoot and fail the checks below).
        Await.until(() -> drops.get(DropReason.UNKNOWN_VNI) > unknownBefore
            && drops.get(DropReason.BAD_FLAGS) > flagsBefore
            && drops.get(DropReason.TRUNCATED) >= truncatedBefore + 2, Duration.ofSeconds(10));
        assertEquals(unknownBefore + 1, drops.get(DropReason.UNKNOWN_VNI), drops.toString());
        assertEquals(flagsBefore + 1, drops.get(DropReason.BAD_FLAGS), drops.toString());
        assertEquals(truncatedBefore + 2, drops.get(DropReason.TRUNCATED), drops.toString());
        assertEquals(0L, lab.meshd.node().vtep().counters().snapshot().get("rx-errors"));
        assertTrue(Traffic.ping(lab.containerA, KernelPair.KERNEL_CONTAINER), "still forwarding after bad input");
        assertFalse(drops.snapshot().isEmpty());
    }

    /** A broadcast Ethernet header with a unicast source and IPv4 type, then 46 bytes of padding. */
    private static String frameHex() {
        StringBuilder sb = new StringBuilder("\\377\\377\\377\\377\\377\\377\\002\\000\\000\\000\\000\\001\\010\\000");
        for (int i = 0; i < 46; i++) {
            sb.append("\\000");
        }
        return sb.toString();
    }

    private void send(String to, String printfBytes) {
        lab.hostB.execOk("sh", "-c", "printf '" + printfBytes + "' | socat -u STDIN " + to);
    }

    private static String neighbors(LabHost host, String ip) {
        return host.execOk("ip", "neigh", "show", ip).stdout();
    }
}
