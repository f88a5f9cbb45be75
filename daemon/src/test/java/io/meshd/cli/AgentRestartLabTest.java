package io.meshd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshd.cli.api.ApiResponse;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.RequiresLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code meshd agent} does on SIGTERM. By default it withdraws its endpoints, removes the interfaces it made and
 * leaves the cluster, leaving nothing behind. With {@code --live-restore} it keeps its attachments: the containers
 * keep their interfaces, and the next agent of the same name takes them up from
 * {@code <state-dir>/<name>.state.json}.
 */
@RequiresLab(commands = {"ip", "ping"})
class AgentRestartLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * How long SIGTERM may take with one attachment: the leave (at most 3 s), the interface's removal and the JVM's
     * exit, with room for a loaded machine (the example unit allows 60 s, for thousands of attachments).
     */
    private static final Duration STOP_BOUND = Duration.ofSeconds(15);

    @Test
    void shouldWithdrawRemoveAndLeaveOnSigtermLeavingNothingBehind() throws Exception {
        AgentProcesses agents = new AgentProcesses(dir);
        try (Lab lab = Lab.create()) {
            LabHost c1 = lab.host("c1");
            String first = agents.start("s1", List.of());
            agents.start("s2", List.of("--join", first));
            assertEquals(201, agents.call("s1", "POST", "/v1/networks",
                JSON.readTree("{\"name\":\"front\",\"subnet\":\"10.95.0.0/24\",\"vni\":4647}")).status());
            ApiResponse r = agents.call("s1", "POST", "/v1/attachments", JSON.readTree("{\"network\":\"front\","
                + "\"namespace\":\"" + c1.name() + "\",\"ip\":\"10.95.0.5\",\"name\":\"one\"}"));
            assertEquals(201, r.status(), r.toString());
            assertTrue(AgentProcesses.await(() -> endpoints(agents, "s2").equals(Set.of("one")),
                AgentProcesses.BOUND), "s2 sees s1's endpoint: " + endpoints(agents, "s2"));

            Process s1 = agents.process(0);
            long t0 = System.nanoTime();
            s1.destroy(); // SIGTERM
            assertTrue(s1.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS), "stops within " + STOP_BOUND);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertEquals(143, s1.exitValue(), "a JVM stopped by SIGTERM exits 128 + 15 once its hooks have run (the "
                + "systemd unit's SuccessExitStatus)");
            assertTrue(c1.exec("ip", "-o", "link").stdout().lines().noneMatch(l -> l.contains("eth0")),
                "the interface is removed: " + c1.exec("ip", "-o", "link").stdout());
            String state = Files.readString(dir.resolve("s1.state.json"));
            assertTrue(!state.contains("\"one\""), "the state file lists nothing to take up: " + state);
            assertTrue(!Files.exists(agents.socket("s1")), "the API socket is removed");
            assertEquals("LEFT", agents.states("s2").get("s1"), "s1 left rather than died (a leave is announced "
                + "before the exit)");
            assertEquals(Set.of(), endpoints(agents, "s2"), "s1's endpoint is gone from s2's view");
            System.out.println("SIGTERM to exit: " + took.toMillis() + " ms");
        } finally {
            agents.close();
        }
    }

    private static Set<String> endpoints(AgentProcesses agents, String observer) {
        Set<String> names = new TreeSet<>();
        try {
            ApiResponse r = agents.call(observer, "GET", "/v1/networks/front", null);
            r.body().path("endpoints").forEach(e -> names.add(e.path("name").asText()));
        } catch (java.io.IOException e) {
            return Set.of("(no answer: " + e + ")");
        }
        return names;
    }

    @Test
    void shouldKeepItsAttachmentsOnSigtermWithLiveRestoreAndTakeThemUpWhenStartedAgain() throws Exception {
        AgentProcesses agents = new AgentProcesses(dir);
        try (Lab lab = Lab.create()) {
            LabHost c1 = lab.host("c1");
            LabHost c2 = lab.host("c2");
            agents.start("r1", List.of("--live-restore"));
            assertEquals(201, agents.call("r1", "POST", "/v1/networks",
                JSON.readTree("{\"name\":\"front\",\"subnet\":\"10.94.0.0/24\",\"vni\":4646}")).status());
            for (String[] a : List.of(new String[] {c1.name(), "10.94.0.5", "one"},
                new String[] {c2.name(), "10.94.0.6", "two"})) {
                ApiResponse r = agents.call("r1", "POST", "/v1/attachments", JSON.readTree("{\"network\":\"front\","
                    + "\"namespace\":\"" + a[0] + "\",\"ip\":\"" + a[1] + "\",\"name\":\"" + a[2] + "\"}"));
                assertEquals(201, r.status(), r.toString());
            }
            assertTrue(c1.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "5", "10.94.0.6").ok(), "attached");

            Process first = agents.process(0);
            first.destroy(); // SIGTERM
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the agent stops");
            for (LabHost c : List.of(c1, c2)) {
                String addr = c.exec("ip", "-o", "addr", "show", "dev", "eth0").stdout();
                assertTrue(addr.contains("10.94.0."), "kept in " + c + ": " + addr);
            }
            String state = Files.readString(dir.resolve("r1.state.json"));
            assertTrue(state.contains("\"one\"") && state.contains("\"two\""), state);

            agents.start("r1", List.of("--live-restore"));
            ApiResponse listed = agents.call("r1", "GET", "/v1/attachments", null);
            Set<String> names = new TreeSet<>();
            for (JsonNode n : listed.body()) {
                names.add(n.path("name").asText() + "@" + n.path("ip").asText());
            }
            assertEquals(Set.of("one@10.94.0.5", "two@10.94.0.6"), names, listed.toString());
            assertTrue(c1.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "5", "10.94.0.6").ok(),
                "switched again through the re-opened TAPs");
        } finally {
            agents.close();
        }
    }
}
