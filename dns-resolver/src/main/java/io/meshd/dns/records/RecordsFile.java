package io.meshd.dns.records;

import io.meshd.net.SocketAddresses;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the YAML records file {@code meshd dns --records} serves: networks with their endpoints and services, in
 * the shape the agent keeps them. Every problem is reported with its line:
 * <pre>
 * networks:
 *   - name: front
 *     endpoints:
 *       - name: web.1                 # task or container name
 *         addresses: [10.0.1.3, fd00::3]
 *         aliases: [web-one]          # optional
 *         services: [web]             # the services it is a task of (optional)
 *         ttl: 30                     # optional, lowers the default TTL
 *     services:
 *       - name: web
 *         mode: vip                   # vip (default) or dnsrr
 *         vips: [10.0.1.2]            # required for mode vip
 *         ports:                      # optional, for SRV records
 *           - {name: http, port: 80, protocol: tcp}
 * </pre>
 * The YAML is composed into nodes (not bound to classes), so no type tags or constructors are ever run.
 */
public final class RecordsFile {

    private final String file;

    private RecordsFile(String file) {
        this.file = file;
    }

    /** Reads and validates a records file. */
    public static List<MeshNetwork> read(Path path) throws RecordsFileException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RecordsFileException(path.toString(), 0, "cannot read: " + e.getMessage());
        }
        return parse(path.toString(), text);
    }

    /** Parses records from text; {@code name} appears in error messages. */
    public static List<MeshNetwork> parse(String name, String text) throws RecordsFileException {
        return new RecordsFile(name).parse(new StringReader(text));
    }

    private List<MeshNetwork> parse(Reader reader) throws RecordsFileException {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new RecordsFileException(file, line, "not valid YAML: " + e.getProblem());
        } catch (RuntimeException e) {
            throw new RecordsFileException(file, 0, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new RecordsFileException(file, 1, "the file is empty; expected a 'networks:' list");
        }
        MappingNode top = mapping(root, "the top level");
        List<MeshNetwork> networks = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : fields(top, Set.of("networks"))) {
            for (Node n : sequence(t.getValueNode(), "networks")) {
                MeshNetwork network = network(n);
                if (!seen.add(network.name())) {
                    throw error(n, "network '" + network.name() + "' is defined twice");
                }
                networks.add(network);
            }
        }
        return networks;
    }

    private MeshNetwork network(Node node) throws RecordsFileException {
        MappingNode m = mapping(node, "a network");
        String name = null;
        List<MeshEndpoint> endpoints = new ArrayList<>();
        List<MeshService> services = new ArrayList<>();
        for (NodeTuple t : fields(m, Set.of("name", "endpoints", "services"))) {
            Node v = t.getValueNode();
            switch (key(t)) {
                case "name":
                    name = scalar(v, "name");
                    break;
                case "endpoints":
                    for (Node e : sequence(v, "endpoints")) {
                        endpoints.add(endpoint(e));
                    }
                    break;
                default:
                    for (Node s : sequence(v, "services")) {
                        services.add(service(s));
                    }
                    break;
            }
        }
        if (name == null) {
            throw error(node, "a network needs a 'name'");
        }
        try {
            return new MeshNetwork(name, endpoints, services);
        } catch (IllegalArgumentException e) {
            throw error(node, e.getMessage());
        }
    }

    private MeshEndpoint endpoint(Node node) throws RecordsFileException {
        MappingNode m = mapping(node, "an endpoint");
        String name = null;
        List<String> aliases = List.of();
        List<InetAddress> addresses = List.of();
        List<String> services = List.of();
        int ttl = MeshNetwork.DEFAULT_TTL;
        for (NodeTuple t : fields(m, Set.of("name", "aliases", "addresses", "services", "ttl"))) {
            Node v = t.getValueNode();
            switch (key(t)) {
                case "name":
                    name = scalar(v, "name");
                    break;
                case "aliases":
                    aliases = strings(v, "aliases");
                    break;
                case "addresses":
                    addresses = addresses(v, "addresses");
                    break;
                case "services":
                    services = strings(v, "services");
                    break;
                default:
                    ttl = integer(v, "ttl", 0, Integer.MAX_VALUE);
                    break;
            }
        }
        if (name == null) {
            throw error(node, "an endpoint needs a 'name'");
        }
        try {
            return new MeshEndpoint(name, aliases, addresses, services, ttl);
        } catch (IllegalArgumentException e) {
            throw error(node, e.getMessage());
        }
    }

    private MeshService service(Node node) throws RecordsFileException {
        MappingNode m = mapping(node, "a service");
        String name = null;
        ServiceMode mode = ServiceMode.VIP;
        List<InetAddress> vips = List.of();
        List<PublishedPort> ports = new ArrayList<>();
        int ttl = MeshNetwork.DEFAULT_TTL;
        for (NodeTuple t : fields(m, Set.of("name", "mode", "vips", "ports", "ttl"))) {
            Node v = t.getValueNode();
            switch (key(t)) {
                case "name":
                    name = scalar(v, "name");
                    break;
                case "mode":
                    String text = scalar(v, "mode").toLowerCase(Locale.ROOT);
                    if (!text.equals("vip") && !text.equals("dnsrr")) {
                        throw error(v, "mode must be 'vip' or 'dnsrr', not '" + text + "'");
                    }
                    mode = text.equals("vip") ? ServiceMode.VIP : ServiceMode.DNSRR;
                    break;
                case "vips":
                    vips = addresses(v, "vips");
                    break;
                case "ports":
                    for (Node p : sequence(v, "ports")) {
                        ports.add(port(p));
                    }
                    break;
                default:
                    ttl = integer(v, "ttl", 0, Integer.MAX_VALUE);
                    break;
            }
        }
        if (name == null) {
            throw error(node, "a service needs a 'name'");
        }
        try {
            return new MeshService(name, mode, vips, ports, ttl);
        } catch (IllegalArgumentException e) {
            throw error(node, e.getMessage());
        }
    }

    private PublishedPort port(Node node) throws RecordsFileException {
        MappingNode m = mapping(node, "a port");
        String name = "";
        int port = -1;
        String protocol = "tcp";
        for (NodeTuple t : fields(m, Set.of("name", "port", "protocol"))) {
            Node v = t.getValueNode();
            switch (key(t)) {
                case "name":
                    name = scalar(v, "name");
                    break;
                case "port":
                    port = integer(v, "port", 1, 65535);
                    break;
                default:
                    protocol = scalar(v, "protocol");
                    break;
            }
        }
        if (port < 0) {
            throw error(node, "a port needs a 'port' number");
        }
        try {
            return new PublishedPort(name, port, protocol);
        } catch (IllegalArgumentException e) {
            throw error(node, e.getMessage());
        }
    }

    private List<NodeTuple> fields(MappingNode m, Set<String> allowed) throws RecordsFileException {
        for (NodeTuple t : m.getValue()) {
            String k = key(t);
            if (!allowed.contains(k)) {
                throw error(t.getKeyNode(), "unknown key '" + k + "' (expected one of " + new java.util.TreeSet<>(
                    allowed) + ")");
            }
        }
        return m.getValue();
    }

    private String key(NodeTuple t) throws RecordsFileException {
        return scalar(t.getKeyNode(), "a key");
    }

    private MappingNode mapping(Node n, String what) throws RecordsFileException {
        if (!(n instanceof MappingNode)) {
            throw error(n, what + " must be a mapping of keys to values");
        }
        return (MappingNode) n;
    }

    private List<Node> sequence(Node n, String what) throws RecordsFileException {
        if (!(n instanceof SequenceNode)) {
            throw error(n, "'" + what + "' must be a list");
        }
        return ((SequenceNode) n).getValue();
    }

    private String scalar(Node n, String what) throws RecordsFileException {
        if (!(n instanceof ScalarNode)) {
            throw error(n, what + " must be a single value");
        }
        return ((ScalarNode) n).getValue().trim();
    }

    private int integer(Node n, String what, int min, int max) throws RecordsFileException {
        String text = scalar(n, what);
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw error(n, what + " " + v + " is not in " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(n, what + " must be a whole number, not '" + text + "'");
        }
    }

    private List<String> strings(Node n, String what) throws RecordsFileException {
        List<String> result = new ArrayList<>();
        for (Node item : sequence(n, what)) {
            result.add(scalar(item, what + " item"));
        }
        return result;
    }

    private List<InetAddress> addresses(Node n, String what) throws RecordsFileException {
        List<InetAddress> result = new ArrayList<>();
        for (Node item : sequence(n, what)) {
            String text = scalar(item, what + " item");
            try {
                result.add(SocketAddresses.address(text));
            } catch (IllegalArgumentException notALiteral) {
                throw error(item, "'" + text + "' is not an IPv4 or IPv6 address");
            }
        }
        return result;
    }

    private RecordsFileException error(Node n, String message) {
        return new RecordsFileException(file, n.getStartMark().getLine() + 1, message);
    }
}
