package io.meshd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.Mesh;
import io.meshd.gossip.security.Keyring;
import io.meshd.net.metrics.MetricRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docs/api.openapi.yaml documents exactly the routes the server serves: the same paths, each with the same methods. */
class ApiOpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
        "trace");

    @Test
    void shouldDocumentEveryRouteAndNoOther() throws Exception {
        Map<String, Set<String>> documented = documented(Path.of("..", "docs", "api.openapi.yaml"));
        Map<String, Set<String>> served;
        try (Mesh mesh = ApiTestMesh.start("openapi", Keyring.of(ApiTestMesh.KEY))) {
            served = new TreeMap<>(ApiRoutes.of(mesh, Optional.empty(), new MetricRegistry()).methods());
        }
        assertTrue(served.size() >= 10, served.toString());
        assertEquals(served, documented, "served routes (left) and OpenAPI paths (right)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> documented(Path file) throws IOException {
        Map<String, Object> doc;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml().load(in);
        }
        assertTrue(String.valueOf(doc.get("openapi")).startsWith("3.0"), "OpenAPI 3.0");
        Map<String, Set<String>> out = new TreeMap<>();
        ((Map<String, Object>) doc.get("paths")).forEach((path, item) -> {
            Set<String> methods = new TreeSet<>();
            ((Map<String, Object>) item).keySet().stream().filter(METHODS::contains)
                .forEach(m -> methods.add(m.toUpperCase(Locale.ROOT)));
            out.put(path, methods);
        });
        return out;
    }
}
