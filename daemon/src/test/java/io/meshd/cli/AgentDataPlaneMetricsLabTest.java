package io.meshd.cli;

import static io.meshd.cli.AgentProcesses.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshd.cli.api.ApiResponse;
import io.meshd.daemon.metrics.TextExposition;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.RequiresLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's metrics acceptance for the data plane: two {@code meshd agent} processes with {@code --metrics}, a
 * network, a namespace attached on each, a VIP service whose backend is the second namespace. After a ping across the
 * overlay, a TCP connection through the VIP and a DNS query at 127.0.0.11, a second scrape of each agent shows the
 * VTEP's datagrams and bytes, the switch's frames and ARP replies, the TAP port's frames, the DNS queries and the load
 * balancer's frames, flows and pins moved; the table gauges hold the entries the mesh wrote; promtool accepts both
 * scrapes; and every family in docs/operations.md's "Exported today" table is exported.
 */
@RequiresLab(commands = {"dig", "ping"})
class AgentDataPlaneMetricsLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL = Pattern.compile("metrics at (http://\\S+/metrics)");
    /** A family's name in the first cell of a row of the operations guide's table. */
    private static final Pattern DOC_ROW = Pattern.compile("^\\| `(meshd_[a-z0-9_]+)` \\|");
    private static final int TARGET_PORT = 8080;
    private static final int PORT = 80;
    private static final String VIP = "10.93.0.100";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldMoveTheDataPlaneCountersOfBothAgents() throws Exception {
        AgentProcesses agents = new AgentProcesses(dir);
        try (Lab lab = Lab.create()) {
            LabHost c1 = lab.host("c1");
            LabHost c2 = lab.host("c2");
            // no routing mesh: its ingress would be a second port on each switch (and m1, m2 are not unique per run)
            String seed = agents.start("m1", List.of("--metrics", "127.0.0.1:0", "--no-routing-mesh"));
            agents.start("m2", List.of("--join", seed, "--metrics", "127.0.0.1:0", "--no-routing-mesh"));
            URI m1 = metricsUrl(agents, "m1");
            URI m2 = metricsUrl(agents, "m2");
            assertEquals(201, agents.call("m1", "POST", "/v1/networks",
                JSON.readTree("{\"name\":\"front\",\"subnet\":\"10.93.0.0/24\",\"vni\":4645}")).status());
            ApiResponse created = agents.call("m1", "POST", "/v1/services", JSON.readTree("{\"name\":\"web\","
                + "\"network\":\"front\",\"vip\":\"" + VIP + "\",\"ports\":[{\"published\":" + PORT
                + ",\"target\":" + TARGET_PORT
                + ",\"protocol\":\"tcp\"}]}"));
            assertEquals(201, created.status(), created.toString());
            String vip = created.body().path("networks").path(0).path("vip").asText();
            assertEquals(VIP, vip, created.toString());
            attach(agents, "m1", c1, "10.93.0.5", "client", "");
            attach(agents, "m2", c2, "10.93.0.6", "web1", "web");
            assertTrue(await(() -> backends(agents, "m1") == 1, AgentProcesses.BOUND),
                "m1 sees the backend on m2: " + backends(agents, "m1"));
            String service = "service=\"" + vip + ":" + PORT + "/tcp\"";

            TextExposition before1 = scrape(m1);
            TextExposition before2 = scrape(m2);
            assertTrue(c1.exec(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "5", "10.93.0.6").ok(),
                "c1 reaches c2 across the overlay");
            assertEquals("web1", throughVip(c2, c1, vip), "a TCP connection through the VIP reaches the backend");
            assertTrue(await(() -> dig(c1, "web").contains(vip), Duration.ofSeconds(10)),
                "the DNS responder answers web with the VIP: " + dig(c1, "web"));

            TextExposition after1 = scrape(m1);
            TextExposition after2 = scrape(m2);
            for (TextExposition[] pair : List.of(new TextExposition[] {before1, after1},
                new TextExposition[] {before2, after2})) {
                TextExposition b = pair[0];
                TextExposition a = pair[1];
                grew(b, a, "meshd_vtep_datagrams_total", "direction=\"rx\"");
                grew(b, a, "meshd_vtep_datagrams_total", "direction=\"tx\"");
                grew(b, a, "meshd_vtep_bytes_total", "direction=\"rx\"");
                grew(b, a, "meshd_vtep_bytes_total", "direction=\"tx\"");
                grew(b, a, "meshd_switch_frames_total", "event=\"from-local\"");
                grew(b, a, "meshd_switch_frames_total", "event=\"from-uplink\"");
                grew(b, a, "meshd_tap_frames_total", "direction=\"rx\"");
                grew(b, a, "meshd_tap_bytes_total", "direction=\"tx\"");
                assertEquals(1, value(a, "meshd_switch_networks"), "one network on each switch");
                assertEquals(1, value(a, "meshd_switch_ports"), "one TAP on each switch");
                assertTrue(value(a, "meshd_switch_flood_targets") >= 1, "the other node in the flood list");
                assertTrue(value(a, "meshd_switch_fdb_entries") >= 2, "the local and the remote endpoint's MACs");
                assertTrue(value(a, "meshd_switch_neighbors") >= 2, "both endpoints (and the VIP) answered for");
                assertEquals(1, value(a, "meshd_lb_services"), "the one VIP service");
                assertEquals(1, value(a, "meshd_lb_backends", service, "state=\"healthy\""), "its one backend");
            }
            grew(before1, after1, "meshd_switch_frames_total", "event=\"arp-replies\"");
            grew(before1, after1, "meshd_dns_queries_total", "type=\"A\"");
            grew(before1, after1, "meshd_lb_frames_total", "event=\"to-backend\"");
            grew(before1, after1, "meshd_lb_frames_total", "event=\"to-client\"");
            grew(before1, after1, "meshd_lb_flows_total", service);
            grew(before1, after1, "meshd_lb_flow_pin_events_total", "event=\"pinned\"");
            assertTrue(value(after1, "meshd_lb_flow_pins") >= 1, "the connection's flow is pinned on the client node");
            assertEquals(before1.sum("meshd_vxlan_drops_total"), after1.sum("meshd_vxlan_drops_total"),
                "nothing of this traffic dropped");

            List<String> documented = documentedFamilies();
            assertTrue(documented.size() >= 30, "the table lists the families: " + documented);
            for (TextExposition a : List.of(after1, after2)) {
                for (String family : documented) {
                    if (family.equals("meshd_published_events_total")) {
                        continue; // a series per published port: these agents publish none (MeshIngressLabTest)
                    }
                    assertTrue(a.types().containsKey(family), family + " is documented and exported");
                }
            }
        } finally {
            agents.close();
        }
    }

    private static void attach(AgentProcesses agents, String node, LabHost ns, String ip, String name, String service)
        throws IOException {
        ApiResponse r = agents.call(node, "POST", "/v1/attachments", JSON.readTree("{\"network\":\"front\","
            + "\"namespace\":\"" + ns.name() + "\",\"ip\":\"" + ip + "\",\"name\":\"" + name + "\""
            + (service.isEmpty() ? "" : ",\"service\":\"" + service + "\"") + "}"));
        assertEquals(201, r.status(), r.toString());
    }

    private static int backends(AgentProcesses agents, String node) {
        try {
            ApiResponse r = agents.call(node, "GET", "/v1/services/web", null);
            return r.ok() ? r.body().path("backends").size() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Serves one connection on the backend (it answers its name) and makes it from the client to VIP:80; what the
     * client read.
     */
    private static String throughVip(LabHost backend, LabHost client, String vip) throws Exception {
        try (ServerSocketChannel server = backend.netns().call(() -> ServerSocketChannel.open()
            .bind(new InetSocketAddress("0.0.0.0", TARGET_PORT)))) {
            Thread serving = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    c.write(ByteBuffer.wrap("web1\n".getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    // the client's read fails and says so
                }
            }, "metrics-lab-backend");
            serving.setDaemon(true);
            serving.start();
            return client.netns().call(() -> {
                try (SocketChannel c = SocketChannel.open()) {
                    c.socket().connect(new InetSocketAddress(vip, PORT), 5_000);
                    c.socket().setSoTimeout(5_000);
                    byte[] got = c.socket().getInputStream().readNBytes(5);
                    return new String(got, StandardCharsets.UTF_8).trim();
                }
            });
        }
    }

    private static String dig(LabHost h, String name) {
        return h.exec(Duration.ofSeconds(10), "dig", "@127.0.0.11", "+time=1", "+tries=1", "+short", name).stdout();
    }

    private static URI metricsUrl(AgentProcesses agents, String name) {
        Matcher m = URL.matcher(agents.startOutput(name));
        assertTrue(m.find(), "agent printed its metrics address: " + agents.startOutput(name));
        return URI.create(m.group(1));
    }

    /** Scrapes, parses strictly, and has promtool check it (where installed; required in CI). */
    private TextExposition scrape(URI url) throws Exception {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(200, r.statusCode(), r.body());
        AgentMetricsTest.promtoolCheck(r.body());
        return TextExposition.parse(r.body());
    }

    /** The sum of the series of {@code name} whose labels include every one of {@code labels}. */
    private static double value(TextExposition e, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (Map.Entry<String, Double> s : e.values().entrySet()) {
            String key = s.getKey();
            if (!key.equals(name) && !key.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= key.contains(label);
            }
            if (all) {
                sum += s.getValue();
                found = true;
            }
        }
        assertTrue(found, name + " with " + List.of(labels) + " is exported: " + e.values().keySet());
        return sum;
    }

    private static void grew(TextExposition before, TextExposition after, String name, String... labels) {
        double b = value(before, name, labels);
        double a = value(after, name, labels);
        assertTrue(a > b, name + List.of(labels) + " grew: " + b + " -> " + a);
    }

    /** The family names in the operations guide's "Exported today" table. */
    private static List<String> documentedFamilies() throws IOException {
        Path doc = Path.of("..", "docs", "operations.md");
        List<String> lines = Files.readAllLines(doc);
        int start = lines.indexOf("Exported today:");
        assertTrue(start >= 0, "docs/operations.md has the table");
        List<String> families = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (families.size() > 0 && line.isBlank()) {
                break;
            }
            Matcher m = DOC_ROW.matcher(line);
            if (m.find()) {
                families.add(m.group(1));
            }
        }
        return families;
    }
}
