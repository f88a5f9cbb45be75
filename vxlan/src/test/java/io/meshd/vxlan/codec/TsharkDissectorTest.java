package io.meshd.vxlan.codec;

import io.meshd.harness.RequiresLab;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our encapsulation as Wireshark's dissectors see it: packets written to a pcap file are read back by tshark, which
 * must decode VXLAN with our VNI and the inner addresses, and find both IPv4 and UDP checksums good.
 */
@RequiresLab(commands = {"tshark"})
class TsharkDissectorTest {
    private static final int LINKTYPE_RAW = 101;

    @Test
    void shouldDecodeAsVxlanWithTheRightVniAndGoodChecksums(@TempDir Path directory) throws Exception {
        Ipv4Encapsulator encapsulator = Ipv4Encapsulator.builder().sourceAddress(Ipv4EncapsulatorTest.LOCAL).build();
        UnsafeBuffer frame = Ipv4EncapsulatorTest.innerFrame(333);
        UnsafeBuffer packet = Ipv4EncapsulatorTest.packetWithHeadroom(frame);
        int length = encapsulator.encapsulate(packet, 0, frame.capacity(), 4242, Ipv4EncapsulatorTest.REMOTE);
        Path pcap = directory.resolve("vxlan.pcap");
        writePcap(pcap, packet.byteArray(), length);

        String fields = tshark(pcap, "vxlan.vni", "vxlan.flags", "eth.src", "eth.dst", "ip.src", "ip.dst",
            "udp.dstport", "ip.checksum.status", "udp.checksum.status");

        assertEquals(String.join("|", "4242", "0x0800", "02:42:0a:00:00:02", "02:42:0a:00:00:03",
            "192.168.50.1,10.0.0.2", "192.168.50.2,10.0.0.3", "4789,5201", "1,1", "1,1"), fields);
    }

    private static String tshark(Path pcap, String... fields) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("tshark", "-n", "-r",
            pcap.toString(), "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-T", "fields",
            "-E", "separator=|"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark timed out");
        assertEquals(0, process.exitValue(), errors);
        return output;
    }

    private static void writePcap(Path file, byte[] packet, int length) throws IOException {
        ByteBuffer pcap = ByteBuffer.allocate(24 + 16 + length).order(ByteOrder.LITTLE_ENDIAN);
        pcap.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65_535)
            .putInt(LINKTYPE_RAW);
        pcap.putInt(1).putInt(0).putInt(length).putInt(length).put(packet, 0, length);
        Files.write(file, pcap.array());
    }
}
