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
 * {@code meshd agent} stopped with SIGTERM keeps its attachments (like Docker's live-restore): the containers keep
 * their interfaces, and the next agent of the same name takes them up from {@code <state-dir>/<name>.state.json}.
 */
@RequiresLab(commands = {"ip", "ping"})
class AgentRestartLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldKeepItsAttachmentsOnSigtermAndTakeThemUpWhenStartedAgain() throws Exception {
        AgentProcesses agents = new AgentProcesses(dir);
        try (Lab lab = Lab.create()) {
            LabHost c1 = lab.host("c1");
            LabHost c2 = lab.host("c2");
            agents.start("r1", List.of());
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

            agents.start("r1", List.of());
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
