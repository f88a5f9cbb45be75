package io.meshd.cli;

import static io.meshd.cli.VtepCommandLabTest.awaitOutput;
import static io.meshd.cli.VtepCommandLabTest.meshd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.ExecResult;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabProcess;
import io.meshd.harness.LabSegment;
import io.meshd.harness.RequiresLab;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The routing mesh as a user runs it: three hosts each run {@code meshd vtep --publish 8080/tcp=...} with backends
 * in containers on two of them, and a client outside the overlay connects to each host's own address. Every host
 * reaches the backends through its ingress attachment, one client address and port gets the same backend from every
 * host, and the PROXY protocol v2 header tells the backend the client's address.
 */
@RequiresLab(commands = {"socat"})
class RoutingMeshLabTest {
    private static final String[] BACKEND_IPS = {"192.168.78.2", "192.168.78.3"};

    @Test
    void shouldForwardAPublishedPortFromEveryHostToBackendsOnTheOverlay() throws Exception {
        try (Lab lab = Lab.create()) {
            LabHost[] hosts = {lab.host("h1"), lab.host("h2"), lab.host("h3")};
            LabHost client = lab.host("cl");
            LabHost[] backends = {lab.host("c2"), lab.host("c3")};
            LabSegment underlay = lab.segment("10.96.1.0/24", hosts[0], hosts[1], hosts[2], client);
            List<LabProcess> vteps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<String> args = new ArrayList<>(List.of("vtep", "--vni", "78", "--local",
                    underlay.address(hosts[i]), "--ingress", "192.168.78." + (201 + i) + "/24", "--publish",
                    "8080/tcp=" + BACKEND_IPS[0] + ":80," + BACKEND_IPS[1] + ":80", "--proxy-protocol"));
                for (int j = 0; j < 3; j++) {
                    if (j != i) {
                        args.addAll(List.of("--remote", underlay.address(hosts[j])));
                    }
                }
                if (i > 0) {
                    args.addAll(List.of("--attach", backends[i - 1].name() + ":eth0:" + BACKEND_IPS[i - 1] + "/24"));
                }
                vteps.add(hosts[i].startProcess(meshd(args.toArray(new String[0]))));
            }
            for (LabProcess p : vteps) {
                awaitOutput(p, "stop with Ctrl-C");
            }
            List<Thread> servers = new ArrayList<>();
            for (LabHost b : backends) {
                servers.add(proxyProtocolServer(b));
            }
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                String host = underlay.address(hosts[i]);
                for (int c = 0; c < 8; c++) {
                    String[] answer = request(client, host, 0);
                    assertEquals(underlay.address(client), answer[1], "the PROXY header names the client");
                    assertEquals("192.168.78." + (201 + i), answer[2], "the backend is reached from h" + (i + 1)
                        + "'s ingress address");
                    served.add(answer[0]);
                }
            }
            assertEquals(Set.of(backends[0].shortName(), backends[1].shortName()), served, "both backends serve");
            for (int sourcePort : new int[] {40_123, 40_777, 41_999}) {
                Set<String> chosen = new HashSet<>();
                for (LabHost h : hosts) {
                    chosen.add(request(client, underlay.address(h), sourcePort)[0]);
                }
                assertEquals(1, chosen.size(), "client port " + sourcePort + " gets one backend from every host: "
                    + chosen);
            }
            for (LabProcess p : vteps) {
                p.process().toHandle().destroy();
                assertTrue(p.process().waitFor(30, TimeUnit.SECONDS), "exited after SIGTERM");
                assertTrue(p.output().contains("published 0.0.0.0:8080/tcp:"), p.output());
            }
            for (LabHost h : hosts) {
                assertTrue(h.exec("ip", "netns", "list").stdout().lines().noneMatch(l -> l.startsWith("meshd-ingress")),
                    "the ingress namespaces are gone");
            }
            servers.forEach(Thread::interrupt);
        }
    }

    /** One connection from the client to {@code host}:8080 (from {@code sourcePort} unless 0); the answer's words. */
    private static String[] request(LabHost client, String host, int sourcePort) {
        String target = "TCP:" + host + ":8080,connect-timeout=5" + (sourcePort == 0 ? ""
            : ",sourceport=" + sourcePort + ",reuseaddr");
        ExecResult r = client.exec(Duration.ofSeconds(20), "socat", "-u", "-T", "5", target, "STDOUT");
        assertTrue(r.ok(), "through " + host + ":8080: " + r);
        String[] words = r.stdout().trim().split(" ");
        assertEquals(3, words.length, r.stdout());
        return words;
    }

    /**
     * A server on port 80 inside {@code host}'s namespace that reads a PROXY v2 header and answers its name, the
     * header's source address and the TCP peer's address.
     */
    private static Thread proxyProtocolServer(LabHost host) {
        ServerSocketChannel server = host.netns().call(() -> ServerSocketChannel.open()
            .bind(new InetSocketAddress(80)));
        Thread t = new Thread(() -> {
            try (server) {
                while (!Thread.currentThread().isInterrupted()) {
                    try (SocketChannel c = server.accept()) {
                        String source = proxyV2Source(c);
                        String peer = ((InetSocketAddress) c.getRemoteAddress()).getAddress().getHostAddress();
                        c.write(ByteBuffer.wrap((host.shortName() + " " + source + " " + peer + "\n")
                            .getBytes(StandardCharsets.US_ASCII)));
                    }
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        }, "pp2-server-" + host.shortName());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The source address of the PROXY v2 header at the start of the connection (IPv4 over TCP). */
    private static String proxyV2Source(SocketChannel c) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16 + 12);
        while (header.hasRemaining() && c.read(header) >= 0) {
            // 12-byte signature, version/command, family, length 12, then source, destination, ports
        }
        header.flip();
        byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        for (byte b : signature) {
            if (header.get() != b) {
                return "no-proxy-header";
            }
        }
        header.position(16);
        byte[] source = new byte[4];
        header.get(source);
        return InetAddress.getByAddress(source).getHostAddress();
    }
}
