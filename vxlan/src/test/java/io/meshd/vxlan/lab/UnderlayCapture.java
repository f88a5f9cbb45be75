package io.meshd.vxlan.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tshark capture of VXLAN on an underlay interface, decoded by tshark itself: the wire as an independent
 * implementation sees it.
 */
public final class UnderlayCapture implements AutoCloseable {

    private final Process tshark;
    private final Path file;
    private final int port;

    private UnderlayCapture(Process tshark, Path file, int port) {
        this.tshark = tshark;
        this.file = file;
        this.port = port;
    }

    /** Starts capturing UDP {@code port} on {@code ifname} in {@code host}; returns once tshark is capturing. */
    public static UnderlayCapture start(Netns host, String ifname, int port) throws IOException {
        Path file = Files.createTempFile("vxlan-capture", ".pcapng");
        Files.delete(file);
        Process p = new ProcessBuilder(host.inside("tshark", "-n", "-i", ifname, "-f", "udp port " + port,
            "-w", file.toString())).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains("Capturing on")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // Keep the pipe empty so tshark never blocks on its stderr.
                        }
                    } catch (IOException ignored) {
                        // Ended.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new UnderlayCapture(p, file, port);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        throw new IOException("tshark did not start capturing: " + seen);
    }

    /**
     * Stops the capture and decodes it as VXLAN: one line per packet matching the display filter, with the given
     * fields tab-separated (tshark's {@code -T fields}).
     */
    public List<String> stopAndDecode(String displayFilter, String... fields) throws Exception {
        Thread.sleep(300);
        tshark.destroy();
        tshark.waitFor(10, TimeUnit.SECONDS);
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-d",
            "udp.port==" + port + ",vxlan", "-Y", displayFilter, "-T", "fields"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Sh.Result r = Sh.run(60, cmd);
        if (r.exitCode != 0) {
            throw new AssertionError("tshark -r failed: " + r.out);
        }
        List<String> lines = new ArrayList<>();
        for (String l : r.out.split("\n")) {
            if (!l.isBlank() && !l.startsWith("Running as user")) {
                lines.add(l);
            }
        }
        return lines;
    }

    @Override
    public void close() throws IOException {
        tshark.destroyForcibly();
        Files.deleteIfExists(file);
    }
}
