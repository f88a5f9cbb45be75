package io.meshd.vxlan.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Real traffic between namespaces for lab tests: TCP transfers checked by SHA-256, UDP messages, ping. */
public final class Traffic {

    private Traffic() {
    }

    /**
     * Sends {@code bytes} random bytes over TCP from {@code client} to {@code serverIp} in {@code server} with socat,
     * and asserts the receiver got exactly them (length and SHA-256).
     */
    public static void tcpTransfer(Netns client, Netns server, String serverIp, int port, int bytes) throws Exception {
        Path file = Files.createTempFile("vxlan-tcp", ".bin");
        try {
            byte[] chunk = new byte[1 << 20];
            Random random = new Random(bytes);
            MessageDigest sent = sha256();
            try (var out = Files.newOutputStream(file)) {
                for (int left = bytes; left > 0; left -= chunk.length) {
                    random.nextBytes(chunk);
                    int n = Math.min(left, chunk.length);
                    out.write(chunk, 0, n);
                    sent.update(chunk, 0, n);
                }
            }
            Process receiver = new ProcessBuilder(server.inside("socat", "-u",
                "TCP-LISTEN:" + port + ",reuseaddr", "STDOUT")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            CompletableFuture<long[]> got = CompletableFuture.supplyAsync(() -> digest(receiver.getInputStream()));
            Sh.Result r = client.run(120, "socat", "-u", "FILE:" + file,
                "TCP:" + serverIp + ":" + port + ",retry=50,interval=0.1");
            assertEquals(0, r.exitCode, "socat client: " + r.out);
            assertTrue(receiver.waitFor(60, TimeUnit.SECONDS), "receiver did not finish");
            long[] result = got.get(10, TimeUnit.SECONDS);
            assertEquals(bytes, result[0], "bytes received");
            byte[] expected = sent.digest();
            byte[] actual = new byte[32];
            for (int i = 0; i < 32; i++) {
                actual[i] = (byte) result[i + 1];
            }
            assertArrayEquals(expected, actual, "SHA-256 of the received bytes");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Count then the 32 digest bytes, as longs. */
    private static long[] digest(InputStream in) {
        MessageDigest md = sha256();
        long count = 0;
        byte[] buf = new byte[1 << 16];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                count += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] d = md.digest();
        long[] r = new long[33];
        r[0] = count;
        for (int i = 0; i < 32; i++) {
            r[i + 1] = d[i];
        }
        return r;
    }

    /** Sends a line over UDP from {@code client} until the receiver in {@code server} prints it; true if it did. */
    public static boolean udpMessage(Netns client, Netns server, String serverIp, int port, String message)
        throws Exception {
        Process receiver = new ProcessBuilder(server.inside("socat", "-u", "UDP-RECV:" + port, "STDOUT"))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(receiver.getInputStream(),
                StandardCharsets.UTF_8));
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            for (int attempt = 0; attempt < 20 && !line.isDone(); attempt++) {
                Sh.run(10, client.inside("sh", "-c",
                    "echo '" + message + "' | socat -u STDIN UDP-SENDTO:" + serverIp + ":" + port));
                try {
                    line.get(250, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    // The receiver may not be bound yet, or ARP is resolving: send again.
                }
            }
            return line.isDone() && message.equals(line.getNow(""));
        } finally {
            receiver.destroy();
            receiver.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
