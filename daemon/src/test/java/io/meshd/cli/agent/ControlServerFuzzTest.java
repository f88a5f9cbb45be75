package io.meshd.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.netty.NettyGossip;
import io.meshd.gossip.security.Keyring;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Arbitrary bytes on the agent's control socket: every request is answered with {@code ok} and its lines or with
 * one {@code error} line, the answer is UTF-8 lines without control characters (so it reads back as the client
 * reads it), a {@code put} that succeeds can be read back, the connection is closed and its deadline released,
 * and the server goes on answering.
 */
class ControlServerFuzzTest {

    private static Path dir;
    private static GossipNode node;
    private static ControlServer server;
    private static Path socket;

    @BeforeAll
    static void start() throws IOException {
        byte[] key = new byte[16];
        Arrays.fill(key, (byte) 7);
        node = NettyGossip.start(GossipConfig.local().name("solo").keyring(Keyring.of(key)).build(),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty());
        dir = Files.createTempDirectory("meshd-control-fuzz");
        socket = dir.resolve("meshd.sock");
        server = ControlServer.start(node, Optional.of(Keyring.of(key)), socket);
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        node.shutdown();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    @FuzzTest
    void shouldAnswerEveryRequestWithOkOrOneErrorLine(byte[] request) throws IOException {
        List<String> answer = exchange(request);
        awaitDeadlineReleased();
        String status = answer.get(0);
        if (status.startsWith("error ")) {
            assertFalse(status.substring(6).isBlank(), "an error names its reason");
            assertEquals(1, answer.size(), "an error is the whole answer: " + answer);
        } else {
            assertEquals("ok", status, "the status line");
            checkReadBack(request);
        }
        assertEquals(List.of("ok", "solo"), exchange("members\n".getBytes(StandardCharsets.UTF_8)).stream()
            .map(l -> l.split("\t")[0]).toList(), "the server goes on answering");
    }

    /** The server waits for the client to close before it releases the connection: a moment after ours did. */
    private static void awaitDeadlineReleased() {
        long giveUp = System.nanoTime() + ControlServer.DEADLINE.toNanos();
        while (server.pendingDeadlines() != 0) {
            assertTrue(System.nanoTime() < giveUp, "the connection's deadline is released once both sides closed");
            Thread.yield();
        }
    }

    /** A successful {@code put TABLE KEY VALUE} reads back; it is then deleted so the tables do not grow. */
    private static void checkReadBack(byte[] request) throws IOException {
        String line = new String(request, StandardCharsets.UTF_8).split("\n", -1)[0].strip();
        String[] words = line.split(" ", 4);
        if (words[0].equals("put")) {
            List<String> got = exchange(("get " + words[1] + " " + words[2] + "\n").getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("ok", words[3]), got, "what was put reads back");
            assertEquals(List.of("ok"), exchange(("delete " + words[1] + " " + words[2] + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Sends the bytes, half-closes, and reads the whole answer until the server closes: checked to be UTF-8 that
     * ends with a newline and holds no control character but tabs, then split into lines.
     */
    private static List<String> exchange(byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            try {
                ByteBuffer out = ByteBuffer.wrap(request);
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                ch.shutdownOutput();
            } catch (IOException e) {
                // The server stops reading a line past its limit and answers at once: the answer still counts.
            }
            ByteBuffer in = ByteBuffer.allocate(1 << 20);
            while (ch.read(in) >= 0) {
                assertTrue(in.hasRemaining(), "answer under 1 MiB");
            }
            in.flip();
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
            } catch (CharacterCodingException e) {
                throw new AssertionError("the answer is not UTF-8", e);
            }
            assertTrue(text.endsWith("\n"), "the answer ends with a newline: " + text);
            text.chars().forEach(c -> assertTrue(c == '\n' || c == '\t' || !Character.isISOControl(c),
                () -> "control character " + c + " in the answer: " + text));
            return List.of(text.substring(0, text.length() - 1).split("\n", -1));
        }
    }
}
