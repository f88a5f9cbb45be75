package io.meshd.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two hosts joined by kernel VXLAN: the reference behaviour the user-space VTEP is compared with. */
@RequiresLab(commands = {"ping", "bridge"})
class KernelVxlanTest {

    @Test
    void shouldCarryPingOverAKernelVxlanOverlay() {
        try (Lab lab = Lab.create()) {
            LabLink underlay = lab.pair("10.94.0.0/24");
            LabHost a = underlay.hostA();
            LabHost b = underlay.hostB();
            KernelVxlan vxA = a.kernelVxlan("vx42", 42, underlay.addressA(), 4789, false, underlay.addressB());
            KernelVxlan vxB = b.kernelVxlan("vx42").vni(42).local(underlay.addressB()).dstPort(4789)
                .learning(false).remote(underlay.addressA()).mac("02:42:0a:5f:00:02").create();
            vxA.addAddress("10.95.0.1/24");
            vxB.addAddress("10.95.0.2/24");
            assertEquals("02:42:0a:5f:00:02", vxB.mac());

            // Only what A encapsulates: B's own replies also go to port 4789 and may be the first frame captured
            // when A's first datagram passed before the capture was live.
            Capture wire = b.capture(underlay.ifaceB())
                .filter("udp dst port 4789 and src host " + underlay.addressA()).start();
            a.execOk("ping", "-c", "2", "-W", "2", "10.95.0.2");
            CapturedFrame encapsulated = wire.await(f -> f.udpPayload().map(p -> p.length > 8).orElse(false),
                Duration.ofSeconds(5));
            byte[] vxlan = encapsulated.udpPayload().orElseThrow();
            assertEquals(0x08, vxlan[0], "VXLAN I flag");
            assertEquals(42, ((vxlan[4] & 0xff) << 16) | ((vxlan[5] & 0xff) << 8) | (vxlan[6] & 0xff), "VNI");
            assertEquals(Optional.of("10.94.0.1"), encapsulated.ipv4Source());

            // Static entries, the way a controller programs a nolearning device.
            vxA.addNeighbor("10.95.0.2", vxB.mac()).addFdb(vxB.mac(), underlay.addressB());
            String neighbours = a.execOk("ip", "neigh", "show", "dev", "vx42").stdout();
            assertEquals(true, neighbours.contains("10.95.0.2 lladdr 02:42:0a:5f:00:02 PERMANENT"), neighbours);
            String fdb = a.execOk("bridge", "fdb", "show", "dev", "vx42").stdout();
            assertEquals(true, fdb.contains("02:42:0a:5f:00:02 dst 10.94.0.2"), fdb);
            a.execOk("ping", "-c", "1", "-W", "2", "10.95.0.2");
        }
    }
}
