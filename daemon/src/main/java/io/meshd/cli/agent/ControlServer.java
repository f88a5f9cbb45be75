package io.meshd.cli.agent;

import io.meshd.gossip.GossipNode;
import io.meshd.gossip.security.Keyring;
import io.meshd.net.metrics.MetricSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local control socket (a unix domain socket, so only local users with access to the file can use it).
 * One request line per connection, answered with {@code ok} or {@code error <why>}, then tab-separated lines, then
 * the server closes the connection:
 * <pre>
 *   members                 -> name  address  state  incarnation      (one line per member)
 *   counters                -> metric{labels}  value   (e.g. meshd_gossip_drops_total{reason="unencrypted"})
 *   stats                   -> metric  counter|gauge  labels (k=v,k=v or -)  value
 *   put TABLE KEY VALUE     -> (nothing)      value is UTF-8 text, the rest of the line
 *   get TABLE KEY           -> value
 *   entries TABLE           -> key  value
 *   delete TABLE KEY        -> (nothing)
 *   keys                    -> one base64 key per line, primary first (only with encryption on)
 *   keys install|use|remove BASE64-KEY -> (nothing)   rotation: install everywhere, use everywhere, remove
 * </pre>
 * Every request gets one of those two answers: a line longer than {@value #MAX_LINE} bytes, bytes that are not
 * UTF-8 text (read as U+FFFD), control characters and unknown or incomplete requests are answered with an
 * {@code error} line; bytes after the request line are read and ignored. The server closes its side after the
 * answer and waits for the client to close. One connection is served at a time; one that has not finished its
 * exchange within {@link #DEADLINE} is closed, so a client that connects and sends nothing cannot stop the server.
 */
public final class ControlServer implements AutoCloseable {

    /** How long one connection may take from accept to the end of its answer. */
    static final Duration DEADLINE = Duration.ofSeconds(5);
    static final int MAX_LINE = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final ControlRequests requests;
    private final Path path;
    private final ServerSocketChannel server;
    private final ScheduledThreadPoolExecutor deadlines;
    private final Thread thread;

    private ControlServer(GossipNode node, Optional<Keyring> keyring, Path path, MetricSource metrics)
        throws IOException {
        this.requests = new ControlRequests(node, keyring, metrics);
        this.path = path;
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        deadlines = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "meshd-control-deadline");
            t.setDaemon(true);
            return t;
        });
        // A cancelled deadline leaves the queue at once instead of waiting out its delay there.
        deadlines.setRemoveOnCancelPolicy(true);
        thread = new Thread(this::serve, "meshd-control");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Listens on {@code path} (replacing a stale socket file) and answers for {@code node}, whose keys, if it
     * encrypts, are {@code keyring}.
     */
    public static ControlServer start(GossipNode node, Optional<Keyring> keyring, Path path) throws IOException {
        return new ControlServer(node, keyring, path, node.metrics());
    }

    /**
     * Like {@link #start(GossipNode, Optional, Path)}, answering {@code counters} and {@code stats} from
     * {@code metrics} (the agent's whole registry) instead of the node's metrics alone.
     */
    public static ControlServer start(GossipNode node, Optional<Keyring> keyring, Path path, MetricSource metrics)
        throws IOException {
        return new ControlServer(node, keyring, path, metrics);
    }

    /**
     * This server's counters: {@code meshd_control_requests_total{outcome="ok|error"}}.
     *
     * @return a source to register with the agent's registry
     */
    public MetricSource metrics() {
        return requests.outcomes();
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(ch), DEADLINE.toMillis(),
                    TimeUnit.MILLISECONDS);
                try {
                    handle(ch);
                } finally {
                    deadline.cancel(false);
                }
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.debug("control connection failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                LOG.warn("control request failed", e);
            }
        }
    }

    /**
     * Answers, then reads whatever the client sent after its request line until the client closes: closing a unix
     * socket with unread bytes resets it, and the client would lose the answer.
     */
    private void handle(SocketChannel ch) throws IOException {
        InputStream in = Channels.newInputStream(ch);
        String answer = answer(in);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8));
        out.print(answer);
        out.flush();
        ch.shutdownOutput();
        byte[] ignored = new byte[4096];
        while (in.read(ignored) >= 0) {
            // Bytes after the request line are not part of the protocol.
        }
    }

    /** The whole answer to the request read from {@code in}: composed first, so a refusal never follows an ok. */
    private String answer(InputStream in) throws IOException {
        StringWriter text = new StringWriter();
        try {
            String line = readLine(in);
            requests.answer(line.strip(), new PrintWriter(text));
            requests.count(ControlRequests.Outcome.OK);
        } catch (RuntimeException e) {
            requests.count(ControlRequests.Outcome.ERROR);
            text = new StringWriter();
            text.write("error " + reason(e) + "\n");
        }
        return text.toString();
    }

    /**
     * The bytes up to the first newline (or the end of input), as UTF-8 with malformed bytes as U+FFFD. A line
     * over the limit is read to its end all the same (within the deadline), then refused.
     */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        byte[] buffer = new byte[4096];
        boolean tooLong = false;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            int end = indexOf(buffer, n, (byte) '\n');
            int length = end < 0 ? n : end;
            tooLong |= line.size() + length > MAX_LINE;
            if (!tooLong) {
                line.write(buffer, 0, length);
            }
            if (end >= 0) {
                break;
            }
        }
        if (tooLong) {
            throw new IllegalArgumentException("request line longer than " + MAX_LINE + " bytes");
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, int length, byte wanted) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** One line of text naming what went wrong, whatever the exception carries. */
    private static String reason(RuntimeException e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
            : e.getMessage();
        StringBuilder line = new StringBuilder(message.length());
        message.codePoints().forEach(c -> line.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return line.toString();
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Closing is what was asked: a channel that fails to close is closed for reading and writing anyway.
        }
    }

    /** Connections whose deadline is still pending: the one being served, if any. */
    int pendingDeadlines() {
        return deadlines.getQueue().size();
    }

    /** Stops listening and removes the socket file. */
    @Override
    public void close() {
        try {
            server.close();
            deadlines.shutdownNow();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("closing control socket: {}", e.toString());
        }
    }
}
