package io.meshd.vxlan.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.ExecResult;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabProcess;
import io.meshd.vxlan.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Real traffic between lab hosts: TCP transfers checked by SHA-256, UDP messages, ping. */
final class Traffic {

    private Traffic() {
    }

    /** Pings {@code address} from {@code host}; true if replies came back. */
    static boolean ping(LabHost host, String address) {
        return host.exec(Duration.ofSeconds(15), "ping", "-c", "2", "-i", "0.2", "-W", "2", address).ok();
    }

    /**
     * Sends {@code bytes} random bytes over TCP from {@code client} to {@code serverIp} on {@code server} with
     * socat, and asserts the receiver's SHA-256 of what arrived equals the sender's.
     */
    static void tcpTransfer(LabHost client, LabHost server, String serverIp, int port, int bytes) throws Exception {
        Path file = Files.createTempFile("vxlan-tcp", ".bin");
        try {
            byte[] chunk = new byte[1 << 20];
            Random random = new Random(bytes);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            try (var out = Files.newOutputStream(file)) {
                for (int left = bytes; left > 0; left -= chunk.length) {
                    random.nextBytes(chunk);
                    int n = Math.min(left, chunk.length);
                    out.write(chunk, 0, n);
                    sent.update(chunk, 0, n);
                }
            }
            LabProcess receiver = server.startProcess("sh", "-c",
                "socat -u TCP-LISTEN:" + port + ",reuseaddr STDOUT | sha256sum");
            ExecResult r = client.exec(Duration.ofSeconds(120), "socat", "-u", "FILE:" + file,
                "TCP:" + serverIp + ":" + port + ",retry=50,interval=0.1");
            assertEquals(0, r.exitCode(), "socat client: " + r);
            assertTrue(receiver.process().waitFor(60, TimeUnit.SECONDS), "receiver did not finish");
            String expected = HexFormat.of().formatHex(sent.digest());
            assertTrue(receiver.output().startsWith(expected), "SHA-256 sent " + expected + ", received "
                + receiver.output());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Sends a line over UDP from {@code client} until the receiver on {@code server} prints it; true if it did. */
    static boolean udpMessage(LabHost client, LabHost server, String serverIp, int port, String message)
        throws Exception {
        LabProcess receiver = server.startProcess("socat", "-u", "UDP-RECV:" + port, "STDOUT");
        try {
            for (int attempt = 0; attempt < 20; attempt++) {
                client.exec(Duration.ofSeconds(10), "sh", "-c",
                    "echo '" + message + "' | socat -u STDIN UDP-SENDTO:" + serverIp + ":" + port);
                // UDP may be lost before the path is up: resend if it has not arrived within a moment.
                if (Await.until(() -> receiver.output().contains(message), Duration.ofMillis(250))) {
                    return true;
                }
            }
            return false;
        } finally {
            receiver.stop();
        }
    }
}
