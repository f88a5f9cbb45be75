package io.meshd.vxlan.lab;

import io.meshd.harness.Capture;
import io.meshd.harness.ExecResult;
import io.meshd.harness.LabHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a harness capture back with tshark, decoding UDP 4789 as VXLAN: the wire as an independent tool sees it. */
final class Tshark {

    private Tshark() {
    }

    /**
     * One line per packet matching {@code displayFilter}, with the fields tab-separated; tshark runs in
     * {@code host} (any lab host: it only reads the file).
     */
    static List<String> decode(LabHost host, Capture capture, String displayFilter, String... fields)
        throws Exception {
        Path file = Files.createTempFile("vxlan-capture", ".pcap");
        try {
            capture.writePcap(file);
            List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-d",
                "udp.port==4789,vxlan", "-Y", displayFilter, "-T", "fields"));
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
