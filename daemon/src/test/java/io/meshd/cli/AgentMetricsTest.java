package io.meshd.cli;

import static io.meshd.cli.AgentProcesses.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.daemon.metrics.TextExposition;
import io.meshd.harness.LabRequirement;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code meshd agent} processes on loopback with {@code --metrics}: /metrics is the Prometheus text format (read
 * by a strict parser, and by {@code promtool check metrics} where it is installed, always in CI), its counters move
 * while the agents gossip, and {@code meshd stats} shows the same samples as a table.
 */
class AgentMetricsTest {

    private static final Pattern URL = Pattern.compile("metrics at (http://\\S+/metrics)");
    /** Probe interval of {@link AgentProcesses#FAST} (200 ms) many times over, plus the scheduling allowance. */
    private static final Duration MOVE_BOUND = Duration.ofSeconds(2).plus(AgentProcesses.SCHEDULING_ALLOWANCE);

    @TempDir
    Path dir;

    private AgentProcesses agents;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        agents = new AgentProcesses(dir);
    }

    @AfterEach
    void killAll() throws InterruptedException {
        agents.close();
    }

    private URI metricsUrl(String name) {
        Matcher m = URL.matcher(agents.startOutput(name));
        assertTrue(m.find(), "agent printed its metrics address: " + agents.startOutput(name));
        return URI.create(m.group(1));
    }

    private String scrape(URI url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                r.headers().map().toString());
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldServeParseableMetricsWhoseCountersMoveAndShowThemInStats() throws Exception {
        String seed = agents.start("a1", List.of("--metrics", "127.0.0.1:0"));
        agents.start("a2", List.of("--join", seed, "--metrics", "127.0.0.1:0"));
        URI a1 = metricsUrl("a1");
        Map<String, String> alive = Map.of("a1", "ALIVE", "a2", "ALIVE");
        assertTrue(await(() -> alive.equals(agents.states("a1")), Duration.ofSeconds(15)), "a2 joined a1");

        String first = scrape(a1);
        TextExposition before = TextExposition.parse(first);
        assertEquals("counter", before.types().get("meshd_gossip_messages_total"), first);
        assertEquals("counter", before.types().get("meshd_api_requests_total"), first);
        assertEquals("gauge", before.types().get("meshd_gossip_members"), first);
        assertEquals(2.0, before.values().get("meshd_gossip_members{state=\"alive\"}"), first);
        assertTrue(before.values().get("meshd_api_requests_total{outcome=\"ok\"}") >= 1, "members requests");
        promtoolCheck(first);

        double messages = before.sum("meshd_gossip_messages_total");
        double bytes = before.sum("meshd_gossip_traffic_bytes_total");
        assertTrue(await(() -> {
            TextExposition now = TextExposition.parse(scrape(a1));
            return now.sum("meshd_gossip_messages_total") > messages
                && now.sum("meshd_gossip_traffic_bytes_total") > bytes;
        }, MOVE_BOUND), "gossip messages and bytes grow between scrapes while a2 probes a1");

        CliRun stats = new CliRun();
        assertEquals(0, stats.run("stats", "--socket", agents.socket("a1").toString()), stats.err());
        assertStatsTable(stats.out());
        CliRun gossipOnly = new CliRun();
        assertEquals(0, gossipOnly.run("stats", "--socket", agents.socket("a1").toString(), "--match", "gossip",
            "--nonzero"));
        for (String row : gossipOnly.out().lines().skip(1).toList()) {
            assertTrue(row.startsWith("meshd_gossip_") && !row.endsWith(" 0"), gossipOnly.out());
        }
    }

    /** A header, then aligned rows: the value column is right-aligned, so every line is equally long. */
    private static void assertStatsTable(String table) {
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).matches("METRIC +TYPE +LABELS +VALUE"), table);
        assertTrue(lines.stream().allMatch(l -> l.length() == lines.get(0).length()), table);
        assertTrue(lines.stream().anyMatch(l -> l.matches("meshd_gossip_members +gauge +state=alive +2")), table);
        assertTrue(lines.stream().anyMatch(l -> l.matches("meshd_gossip_messages_total +counter +type=ping +\\d+")),
            table);
    }

    @Test
    void shouldFailStatsWhenNoAgentAnswers() {
        CliRun stats = new CliRun();
        assertEquals(1, stats.run("stats", "--socket", dir.resolve("none.sock").toString()));
        assertTrue(stats.err().contains("Error: cannot reach the meshd agent at "), stats.err());
    }

    /** {@code promtool check metrics}: required in CI, run wherever it is installed, skipped elsewhere. */
    static void promtoolCheck(String exposition) throws IOException, InterruptedException {
        Optional<Path> promtool = LabRequirement.onPath("promtool");
        if (promtool.isEmpty()) {
            if (LabRequirement.inCi()) {
                throw new AssertionError("CI=true but promtool is not installed (Debian package prometheus)");
            }
            System.out.println("promtool not installed: exposition checked by the strict parser only");
            return;
        }
        Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectErrorStream(true)
            .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String said;
        try (InputStream out = p.getInputStream()) {
            said = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, p.exitValue(), "promtool check metrics: " + said);
    }
}
