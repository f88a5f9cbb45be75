package io.meshd.cli.agent;

import io.meshd.gossip.GossipNode;
import io.meshd.gossip.Member;
import io.meshd.gossip.security.Keyring;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local control socket (a unix domain socket, so only local users with access to the file can use it).
 * One request line per connection, answered with {@code ok} or {@code error <why>}, then tab-separated lines, then
 * the server closes the connection:
 * <pre>
 *   members                 -> name  address  state  incarnation      (one line per member)
 *   counters                -> metric{labels}  value   (e.g. meshd_gossip_drops_total{reason="unencrypted"})
 *   put TABLE KEY VALUE     -> (nothing)      value is UTF-8 text, the rest of the line
 *   get TABLE KEY           -> value
 *   entries TABLE           -> key  value
 *   delete TABLE KEY        -> (nothing)
 *   keys                    -> one base64 key per line, primary first (only with encryption on)
 *   keys install|use|remove BASE64-KEY -> (nothing)   rotation: install everywhere, use everywhere, remove
 * </pre>
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_LINE = 64 * 1024;

    private final GossipNode node;
    private final Optional<Keyring> keyring;
    private final Path path;
    private final ServerSocketChannel server;
    private final Thread thread;

    private ControlServer(GossipNode node, Optional<Keyring> keyring, Path path) throws IOException {
        this.node = node;
        this.keyring = keyring;
        this.path = path;
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        thread = new Thread(this::serve, "meshd-control");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Listens on {@code path} (replacing a stale socket file) and answers for {@code node}, whose keys, if it
     * encrypts, are {@code keyring}.
     */
    public static ControlServer start(GossipNode node, Optional<Keyring> keyring, Path path) throws IOException {
        return new ControlServer(node, keyring, path);
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                handle(ch);
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("control connection failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                LOG.warn("control request failed", e);
            }
        }
    }

    private void handle(SocketChannel ch) throws IOException {
        Reader in = new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8);
        String line = readLine(new BufferedReader(in, 4096));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8));
        try {
            answer(line == null ? "" : line.strip(), out);
        } catch (RuntimeException e) {
            out.println("error " + e.getMessage());
        }
        out.flush();
    }

    private static String readLine(BufferedReader r) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = r.read()) >= 0 && c != '\n') {
            if (b.length() >= MAX_LINE) {
                throw new IOException("request line too long");
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private void answer(String line, PrintWriter out) {
        String[] w = line.split(" ", 4);
        switch (w[0]) {
            case "members":
                out.println("ok");
                for (Member m : node.members()) {
                    out.println(m.name() + "\t" + m.address().getAddress().getHostAddress() + ":"
                        + m.address().getPort() + "\t" + m.state() + "\t" + m.incarnation());
                }
                break;
            case "counters":
                out.println("ok");
                node.metrics().collect((name, type, help, labels, value) -> out.println(
                    name + (labels.names().isEmpty() ? "" : labels.toString()) + "\t" + (long) value));
                break;
            case "put":
                need(w, 4);
                node.put(w[1], w[2], w[3].getBytes(StandardCharsets.UTF_8));
                out.println("ok");
                break;
            case "get":
                need(w, 3);
                Optional<byte[]> v = node.get(w[1], w[2]);
                if (v.isEmpty()) {
                    out.println("error no such key");
                } else {
                    out.println("ok");
                    out.println(new String(v.get(), StandardCharsets.UTF_8));
                }
                break;
            case "entries":
                need(w, 2);
                out.println("ok");
                node.entries(w[1]).forEach((k, val) -> out.println(k + "\t" + new String(val, StandardCharsets.UTF_8)));
                break;
            case "delete":
                need(w, 3);
                node.delete(w[1], w[2]);
                out.println("ok");
                break;
            case "keys":
                keys(w, out);
                break;
            default:
                out.println("error unknown request '" + w[0]
                    + "' (members, counters, put, get, entries, delete, keys)");
        }
    }

    private void keys(String[] w, PrintWriter out) {
        Keyring ring = keyring.orElseThrow(() -> new IllegalArgumentException("encryption is off (no --key-file)"));
        if (w.length == 1) {
            out.println("ok");
            ring.keys().forEach(k -> out.println(Base64.getEncoder().encodeToString(k)));
            return;
        }
        need(w, 3);
        byte[] key;
        try {
            key = Base64.getDecoder().decode(w[2].strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key is not base64");
        }
        switch (w[1]) {
            case "install":
                ring.install(key);
                break;
            case "use":
                ring.use(key);
                break;
            case "remove":
                ring.remove(key);
                break;
            default:
                throw new IllegalArgumentException("keys install|use|remove KEY");
        }
        out.println("ok");
    }

    private static void need(String[] words, int n) {
        if (words.length < n) {
            throw new IllegalArgumentException("missing arguments");
        }
    }

    /** Stops listening and removes the socket file. */
    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("closing control socket: {}", e.toString());
        }
    }
}
