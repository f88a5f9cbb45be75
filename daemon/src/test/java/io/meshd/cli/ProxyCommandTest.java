package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProxyCommandTest {
    private final CliRun cli = new CliRun();

    @Test
    void shouldRejectBadArgumentsWithAReasonAndTwo() {
        assertEquals(2, cli.run("proxy", "--listen", "127.0.0.1:0/sctp", "--backend", "127.0.0.1:80"));
        assertTrue(cli.err().contains("protocol must be tcp or udp"), cli.err());
        assertEquals(2, cli.run("proxy", "--listen", "127.0.0.1:0", "--backend", "backend.example:80"));
        assertTrue(cli.err().contains("not an IP address"), cli.err());
        assertEquals(2, cli.run("proxy", "--listen", "127.0.0.1:0", "--backend", "127.0.0.1:80=heavy"));
        assertTrue(cli.err().contains("bad weight"), cli.err());
        assertEquals(2, cli.run("proxy", "--listen", "127.0.0.1:0", "--backend", "127.0.0.1:80",
            "--table-size", "65536"));
        assertTrue(cli.err().contains("must be a prime"), cli.err());
        assertEquals(2, cli.run("proxy", "--listen", "127.0.0.1:0"), "a backend is required");
        assertEquals(2, cli.run("proxy", "--listen", "127.0.0.1:0", "--backend", "127.0.0.1:80",
            "--backend", "127.0.0.1:80=2"));
        assertTrue(cli.err().contains("two backends"), cli.err());
    }

    /** Runs {@code meshd proxy} as its own process, as a user does, and connects through it. */
    @Test
    void shouldForwardAConnectionWhenRunAsAProcess() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serve = new Thread(() -> {
                try (Socket s = backend.accept(); OutputStream o = s.getOutputStream()) {
                    o.write("hello from the backend\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            serve.start();
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.meshd.cli.Main", "proxy", "--listen", "127.0.0.1:0/tcp", "--backend",
                "127.0.0.1:" + backend.getLocalPort(), "--threads", "1", "--exit-after", "60"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8));
                String line = out.readLine();
                Matcher m = Pattern.compile("meshd proxy: tcp on 127\\.0\\.0\\.1:(\\d+) to 1 backend").matcher(
                    String.valueOf(line));
                assertTrue(m.find(), "the proxy says where it listens: " + line);
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)))) {
                    s.setSoTimeout(10_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII));
                    assertEquals("hello from the backend", in.readLine());
                }
                serve.join();
            } finally {
                p.destroy();
                p.waitFor();
            }
        }
    }
}
