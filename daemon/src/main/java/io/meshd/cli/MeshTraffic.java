package io.meshd.cli;

import io.meshd.Mesh;
import io.meshd.shims.NamedNamespaces;
import io.meshd.shims.NetNs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The root half of the mesh demo: an underlay of one namespace per node and an outside client on a bridge, real
 * namespaces attached through {@link Mesh#attach}, a TCP server in each backend that answers with its name and the
 * peer it saw, a client namespace that asks DNS at 127.0.0.11 and connects to the VIP.
 * Namespaces are named uniquely per run and deleted by {@link #close()}.
 */
final class MeshTraffic implements AutoCloseable {

    static final String CLIENT_IP = "10.0.9.10";
    /** The underlay segment's /24 prefix (inside namespaces made for the run). */
    static final String UNDERLAY = "10.0.7.";

    private final String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    private final List<String> names = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private NetNs client;

    /** Creates a uniquely named namespace, remembered for deletion. */
    String namespace(String base) {
        String name = "md" + base + suffix;
        NetNs handle = NamedNamespaces.create(name);
        names.add(name);
        open.add(0, handle);
        return name;
    }

    /** This run's suffix of namespace names, unique to the run. */
    String suffix() {
        return suffix;
    }

    /**
     * Builds the underlay: one namespace per node and one outside client ({@code mdout}), each with an {@code eth0}
     * at {@code UNDERLAY.(i+1)} (the outside client last), all on a bridge in a segment namespace. Returns the
     * handles, the nodes' first, the outside client's last.
     */
    NetNs[] underlay(int nodes) throws Exception {
        String seg = namespace("seg");
        ip("-n", seg, "link", "add", "br0", "type", "bridge");
        ip("-n", seg, "link", "set", "br0", "up");
        NetNs[] handles = new NetNs[nodes + 1];
        for (int i = 0; i <= nodes; i++) {
            String ns = namespace(i < nodes ? "h" + (i + 1) : "out");
            ip("link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", "v" + i, "netns", seg);
            ip("-n", seg, "link", "set", "v" + i, "master", "br0", "up");
            ip("-n", ns, "addr", "add", underlayAddress(i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            handles[i] = NetNs.named(ns);
            open.add(0, handles[i]);
        }
        return handles;
    }

    /** The underlay address of node {@code i} (0-based), or of the outside client when {@code i} is the count. */
    static String underlayAddress(int i) {
        return UNDERLAY + (i + 1);
    }

    private static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + output.trim());
        }
    }

    /** Attaches the client namespace on {@code mesh} at {@link #CLIENT_IP}. */
    String attachClient(Mesh mesh) throws Exception {
        String ns = namespace("cl");
        mesh.attach(Mesh.attachment("front", ns).name("client").ip(InetAddress.getByName(CLIENT_IP)));
        client = NetNs.named(ns);
        open.add(0, client);
        return ns;
    }

    /** Attaches a backend of service web and starts a TCP server on ip:port in it that answers its name. */
    String attachBackend(Mesh mesh, String endpoint, String ip, int port) throws Exception {
        String ns = namespace("b" + endpoint.replace(".", ""));
        mesh.attach(Mesh.attachment("front", ns).name(endpoint).service("web").ip(InetAddress.getByName(ip)));
        NetNs handle = NetNs.named(ns);
        open.add(0, handle);
        ServerSocket server = handle.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(ip, port));
            return s;
        });
        open.add(0, server);
        Thread t = new Thread(() -> serve(server, endpoint), "meshd-demo-" + endpoint);
        t.setDaemon(true);
        t.start();
        return ns;
    }

    private static void serve(ServerSocket server, String name) {
        while (!server.isClosed()) {
            try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
                o.write((name + " " + s.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    /** A DNS question from inside the client namespace to its responder at 127.0.0.11:53. */
    DnsProbe.Answer ask(String name) {
        return client.call(() -> DnsProbe.ask(new InetSocketAddress("127.0.0.11", 53), name, 1));
    }

    /**
     * Opens {@code count} TCP connections from the client to vip:port and counts which backend answered each
     * (and with which client address it saw), a failed connection counted as "failed".
     */
    Map<String, Integer> connect(String vip, int port, int count) {
        return connect(client, vip, port, count);
    }

    /** As {@link #connect(String, int, int)}, from namespace {@code from}. */
    static Map<String, Integer> connect(NetNs from, String vip, int port, int count) {
        Map<String, Integer> seen = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String who = from.call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(vip, port), 2000);
                    s.setSoTimeout(2000);
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                    return line == null ? "closed" : line;
                } catch (IOException e) {
                    return "failed";
                }
            });
            seen.merge(who, 1, Integer::sum);
        }
        return seen;
    }

    /** Closes servers and handles and deletes every namespace made (the mesh detaches its TAPs on close). */
    @Override
    public void close() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // keep tearing down the rest
            }
        }
        for (String n : names) {
            NamedNamespaces.delete(n);
        }
    }
}
