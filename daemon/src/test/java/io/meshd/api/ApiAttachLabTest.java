package io.meshd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshd.Mesh;
import io.meshd.cli.api.ApiResponse;
import io.meshd.cli.api.UnixSocketApi;
import io.meshd.gossip.security.Keyring;
import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.RequiresLab;
import io.meshd.net.metrics.MetricRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Attach and detach through the API as root: a lab namespace gets its endpoint (201 with the Endpoint), shows in
 * {@code GET /v1/attachments} with its interface, a second attach of it to the network is 409, a detach by its path
 * is 204 and leaves nothing.
 */
@RequiresLab
class ApiAttachLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldAttachListRefuseTwiceAndDetach() throws Exception {
        Path dir = Files.createTempDirectory("meshd-api-lab");
        Path socket = dir.resolve("meshd.sock");
        try (Lab lab = Lab.create(); Mesh mesh = ApiTestMesh.start("lab", Keyring.of(ApiTestMesh.KEY))) {
            LabHost c1 = lab.host("c1");
            ApiServer server = ApiServer.builder(socket, ApiRoutes.of(mesh, Optional.empty(), new MetricRegistry()))
                .start();
            try (UnixSocketApi api = UnixSocketApi.of(socket, Duration.ofSeconds(60))) {
                assertEquals(201, api.call("POST", "/v1/networks",
                    JSON.readTree("{\"name\":\"front\",\"subnet\":\"10.96.0.0/24\",\"vni\":42}")).status());
                JsonNode attach = JSON.readTree("{\"network\":\"front\",\"namespace\":\"" + c1.name()
                    + "\",\"ip\":\"10.96.0.5\",\"name\":\"web.1\",\"aliases\":[\"w1\"],\"service\":\"web\"}");
                ApiResponse r = api.call("POST", "/v1/attachments", attach);
                assertEquals(201, r.status(), r.body().toString());
                assertEquals(JSON.readTree("{\"network\":\"front\",\"name\":\"web.1\",\"ip\":\"10.96.0.5\","
                    + "\"mac\":\"02:42:0a:60:00:05\",\"node\":\"lab\",\"service\":\"web\",\"aliases\":[\"w1\"]}"),
                    r.body());
                assertEquals(JSON.readTree("[{\"network\":\"front\",\"namespace\":\"" + c1.name()
                    + "\",\"name\":\"web.1\",\"ip\":\"10.96.0.5\",\"interface\":\"eth0\"}]"),
                    api.call("GET", "/v1/attachments", null).body());
                assertTrue(c1.exec(Duration.ofSeconds(10), "ip", "-4", "addr", "show", "eth0").stdout()
                    .contains("10.96.0.5/24"), "the TAP in the namespace");
                ApiResponse twice = api.call("POST", "/v1/attachments", attach);
                assertEquals(409, twice.status(), twice.body().toString());
                ApiResponse inUse = api.call("DELETE", "/v1/networks/front", null);
                assertEquals(409, inUse.status(), inUse.body().toString());
                String ns = URLEncoder.encode("/var/run/netns/" + c1.name(), StandardCharsets.UTF_8);
                assertEquals(204, api.call("DELETE", "/v1/attachments?network=front&namespace=" + ns, null)
                    .status());
                assertEquals(JSON.readTree("[]"), api.call("GET", "/v1/attachments", null).body());
                assertEquals(404, api.call("DELETE", "/v1/attachments?network=front&namespace=" + ns, null)
                    .status());
            } finally {
                server.close();
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }
}
