package io.meshd.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a harness capture back with tshark, decoding UDP 4789 as VXLAN and verifying IPv4, TCP and UDP checksums
 * (so {@code tcp.checksum.status} and the like are meaningful): the wire as an independent tool sees it.
 */
public final class Tshark {

    private Tshark() {
    }

    /**
     * One line per packet matching {@code displayFilter}, with the fields tab-separated; tshark runs in
     * {@code host} (any lab host: it only reads the file).
     */
    public static List<String> decode(LabHost host, Capture capture, String displayFilter, String... fields)
        throws Exception {
        Path file = Files.createTempFile("vxlan-capture", ".pcap");
        try {
            capture.writePcap(file);
            List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-d",
                "udp.port==4789,vxlan", "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o",
                "udp.check_checksum:TRUE", "-Y", displayFilter, "-T", "fields"));
            for (String f : fields) {
                cmd.add("-e");
                cmd.add(f);
            }
            ExecResult r = host.exec(Duration.ofSeconds(60), cmd.toArray(new String[0])).requireOk();
            List<String> lines = new ArrayList<>();
            for (String l : r.stdout().split("\n")) {
                if (!l.isBlank()) {
                    lines.add(l);
                }
            }
            return lines;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
