package io.meshd.mesh;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.Names;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import io.meshd.vxlan.tap.Attachment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * This node's attachments on disk, so that a restarted process (after {@code kill -9}, a crash or a stop that kept
 * them) finds the persistent TAPs it left in the containers and takes them up again. One JSON document:
 *
 * <pre>{@code
 * {"version":1,"node":"n1","attachments":[{"network":"front","namespace":"c1","name":"web.1",
 *   "ip":"10.0.9.5","prefixLength":24,"mac":"02:42:0a:00:09:05","mtu":1450,"service":"web","aliases":["w1"],
 *   "interfaceName":"eth0","vni":4242}]}
 * }</pre>
 *
 * <p>{@link #write} replaces the file atomically: the document goes to {@code <file>.tmp} in the same directory,
 * is forced to disk, renamed over the file, and the directory is forced, so a reader (the next process) sees the
 * old or the new document, never a mix. {@link #read} refuses anything else with a {@link Corrupt} naming the
 * problem. The agent's file is {@code <state-dir>/<node name>.state.json}, {@code /var/lib/meshd} by default.
 */
public final class StateFile {
    /** The format version this build writes and reads. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One attachment as saved.
     *
     * @param network the network's name
     * @param namespace the namespace's name (under {@code /var/run/netns})
     * @param name the endpoint's name
     * @param ip its IPv4 address
     * @param prefixLength the network's prefix length
     * @param mac its MAC ({@code aa:bb:cc:dd:ee:ff})
     * @param mtu the interface's MTU
     * @param service the service it backs, or empty
     * @param aliases more names for it
     * @param interfaceName the TAP's name inside the namespace
     * @param vni the network's VNI
     */
    public record Entry(String network, String namespace, String name, String ip, int prefixLength, String mac,
                        int mtu, String service, List<String> aliases, String interfaceName, int vni) {
        /** Checks every field (the same checks as an attach). */
        public Entry {
            Names.check(network, "network name");
            Names.check(name, "endpoint name");
            Objects.requireNonNull(ip, "ip");
            Objects.requireNonNull(mac, "mac");
            service = service == null ? "" : service;
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            if (vni < 1 || vni > 0xff_ffff) {
                throw new IllegalArgumentException("VNI must be 1..16777215: " + vni);
            }
            attachment(namespace, interfaceName, ip, prefixLength, mac, mtu); // throws on a bad field
            new EndpointValue(address(ip), MacAddress.parse(mac), "check", service, aliases);
        }

        /** The entry of an attachment made now. */
        public static Entry of(EndpointKey key, int vni, Attachment a, EndpointValue v) {
            return new Entry(key.network(), a.namespace(), key.endpoint(), Ipv4.format(a.ipv4()), a.prefixLength(),
                MacAddress.format(a.mac()), a.mtu(), v.service(), v.aliases(), a.interfaceName(), vni);
        }

        /** Its table key. */
        public EndpointKey key() {
            return new EndpointKey(network, name);
        }

        /** The TAP to re-attach. */
        public Attachment attachment() {
            return attachment(namespace, interfaceName, ip, prefixLength, mac, mtu);
        }

        /** The endpoint's value, as node {@code node} announces it. */
        public EndpointValue value(String node) {
            InetAddress address = address(ip);
            return new EndpointValue(address, MacAddress.parse(mac), node, service, aliases);
        }

        private static Attachment attachment(String namespace, String interfaceName, String ip, int prefixLength,
            String mac, int mtu) {
            return Attachment.builder().namespace(Objects.requireNonNull(namespace, "namespace"))
                .interfaceName(Objects.requireNonNull(interfaceName, "interfaceName"))
                .ipv4(Ipv4.parse(ip), prefixLength).mac(MacAddress.parse(mac)).mtu(mtu).build();
        }
    }

    /**
     * The document.
     *
     * @param version the format version
     * @param node the node that wrote it
     * @param attachments its attachments
     */
    public record Document(int version, String node, List<Entry> attachments) {
        /** Checks the version and the node name. */
        public Document {
            if (version != VERSION) {
                throw new IllegalArgumentException("format version " + version + " (this build reads " + VERSION
                    + ")");
            }
            Names.check(node, "node name");
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
        }
    }

    /** A state file that cannot be used: unreadable, not the format, or another node's. */
    public static final class Corrupt extends Exception {
        private static final long serialVersionUID = 1L;

        Corrupt(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path path;

    /** The state file at {@code path} (it need not exist). */
    public StateFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    /** Where it lives. */
    public Path path() {
        return path;
    }

    /**
     * The attachments saved for {@code node}; none if there is no file.
     *
     * @throws Corrupt when the file cannot be read, is not a state document, or was written by another node
     */
    public List<Entry> read(String node) throws Corrupt {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new Corrupt("cannot read state file " + path + ": " + e, e);
        }
        Document d;
        try {
            d = JSON.readValue(bytes, Document.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new Corrupt("state file " + path + " is not a meshd state document: " + firstLine(e), e);
        }
        if (d == null) {
            throw new Corrupt("state file " + path + " is empty", null);
        }
        if (!d.node().equals(node)) {
            throw new Corrupt("state file " + path + " belongs to node '" + d.node() + "', not '" + node + "'", null);
        }
        return d.attachments();
    }

    /**
     * Replaces the file with {@code attachments} of {@code node}, atomically (see the class comment); creates the
     * directory if needed.
     *
     * @throws UncheckedIOException when it cannot be written
     */
    public void write(String node, List<Entry> attachments) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(new Document(VERSION, node, attachments));
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot encode the state document", e);
        }
        Path dir = path.getParent();
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself survives a power cut
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Moves an unusable file aside to {@code <file>.corrupt} (replacing an older one) and returns where. */
    public Path moveAside() throws IOException {
        Path aside = path.resolveSibling(path.getFileName() + ".corrupt");
        Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
        return aside;
    }

    /** A dotted IPv4 literal (checked, so no name lookup) as an address. */
    static InetAddress address(String ip) {
        int v = Ipv4.parse(ip);
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8),
                (byte) v});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public String toString() {
        return "StateFile[" + path + "]";
    }
}
