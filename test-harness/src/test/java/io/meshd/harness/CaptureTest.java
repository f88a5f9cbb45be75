package io.meshd.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.shims.Tap;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path every data-plane test relies on: a frame written to a TAP in host A crosses a bridge and a veth,
 * Pcap4J captures it in host B, and tshark reads the written pcap back with the same addresses.
 */
@RequiresLab(commands = {"tshark"})
class CaptureTest {

    private static final String SOURCE_MAC = "02:6d:6c:00:00:01";

    @Test
    void shouldCaptureAFrameWrittenToATapAndWriteAPcapThatTsharkReads(@TempDir Path dir) throws Exception {
        try (Lab lab = Lab.create()) {
            LabHost a = lab.host("a");
            LabHost b = lab.host("b");
            LabLink link = lab.link(a, b);
            b.addAddress(link.ifaceB(), "10.93.0.2/24");
            try (Tap tap = a.netns().call(() -> Tap.builder().name("tap0").open())) {
                a.bridge("br0", tap.name(), link.ifaceA());
                String destinationMac = b.mac(link.ifaceB());
                Capture capture = b.capture(link.ifaceB()).filter("udp and src host 10.93.0.77").start();
                ByteBuffer frame = ByteBuffer.allocateDirect(128);
                Frames.udp(frame, SOURCE_MAC, destinationMac, "10.93.0.77", "10.93.0.2", 40000, 40001,
                    "hello lab".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertEquals(frame.limit(), tap.write(frame));

                CapturedFrame seen = capture.await(f -> f.ipv4Destination().equals(java.util.Optional.of(
                    "10.93.0.2")), Duration.ofSeconds(5));
                assertEquals(SOURCE_MAC, seen.ethSource());
                assertEquals(destinationMac, seen.ethDestination());
                assertEquals(java.util.Optional.of(40001), seen.udpDestinationPort());
                capture.close();
                assertEquals(1, capture.frames().size(), "the BPF filter kept only our frame: " + capture.frames());

                Path pcap = dir.resolve("tap.pcap");
                capture.writePcap(pcap);
                assertTrue(Files.size(pcap) > 24);
                ExecResult tshark = Commands.run(Duration.ofSeconds(60), List.of("tshark", "-r", pcap.toString(),
                    "-T", "fields", "-e", "eth.src", "-e", "eth.dst", "-e", "ip.src", "-e", "ip.dst",
                    "-e", "udp.dstport")).requireOk();
                assertEquals(SOURCE_MAC + "\t" + destinationMac + "\t10.93.0.77\t10.93.0.2\t40001",
                    tshark.stdout().trim(), tshark.toString());
            }
        }
    }

    @Test
    void shouldFailLoudlyForAnUnknownInterface() {
        try (Lab lab = Lab.create()) {
            LabHost a = lab.host("a");
            IllegalStateException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> a.capture("nosuch0").start());
            assertTrue(error.getMessage().contains("nosuch0"), error.getMessage());
        }
    }
}
