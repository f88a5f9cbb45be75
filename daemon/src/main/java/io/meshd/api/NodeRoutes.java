package io.meshd.api;

import io.meshd.gossip.GossipNode;
import io.meshd.gossip.Member;
import io.meshd.gossip.security.Keyring;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What concerns this node's gossip member and process rather than the mesh: {@code /v1/members}, {@code /v1/stats},
 * {@code /v1/keys} (key rotation) and {@code /v1/tables} (raw table access, for debugging, tests and benchmarks).
 */
final class NodeRoutes {
    private final Supplier<List<Member>> members;
    private final GossipNode node;
    private final Optional<Keyring> keyring;
    private final MetricSource metrics;

    NodeRoutes(Supplier<List<Member>> members, GossipNode node, Optional<Keyring> keyring, MetricSource metrics) {
        this.members = members;
        this.node = node;
        this.keyring = keyring;
        this.metrics = metrics;
    }

    void addTo(Router.Builder b) {
        b.route("GET", "/v1/members", r -> ApiReply.ok(members.get().stream().map(Shapes.MemberJson::of).toList()))
            .route("GET", "/v1/stats", r -> ApiReply.ok(stats()))
            .route("GET", "/v1/keys", r -> ApiReply.ok(new Shapes.KeysJson(ring().keys().stream()
                .map(k -> Base64.getEncoder().encodeToString(k)).toList())))
            .route("POST", "/v1/keys", this::keyOp)
            .route("GET", "/v1/tables/{table}", r -> ApiReply.ok(entries(r.param("table"))))
            .route("GET", "/v1/tables/{table}/{key}", this::get)
            .route("PUT", "/v1/tables/{table}/{key}", this::put)
            .route("DELETE", "/v1/tables/{table}/{key}", this::delete);
    }

    private List<Shapes.StatJson> stats() {
        List<Shapes.StatJson> out = new ArrayList<>();
        metrics.collect((name, type, help, labels, value) -> {
            Map<String, String> l = new LinkedHashMap<>();
            for (int i = 0; i < labels.names().size(); i++) {
                l.put(labels.names().get(i), labels.values().get(i));
            }
            out.add(new Shapes.StatJson(name, type == MetricType.COUNTER ? "counter" : "gauge", l, value));
        });
        return out;
    }

    private Keyring ring() {
        return keyring.orElseThrow(() -> ApiError.conflict("encryption is off (the agent has no --key-file)"));
    }

    private ApiReply keyOp(ApiRequest r) {
        JsonBody body = r.json("op", "key");
        String op = body.string("op");
        String text = body.string("key");
        Keyring ring = ring();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("field 'key': not base64");
        }
        switch (op) {
            case "install" -> ring.install(key);
            case "use" -> ring.use(key);
            case "remove" -> ring.remove(key);
            default -> throw ApiError.badRequest("field 'op': expected \"install\", \"use\" or \"remove\", got \""
                + ApiError.oneLine(op) + "\"");
        }
        return ApiReply.noContent();
    }

    private List<Shapes.EntryJson> entries(String table) {
        List<Shapes.EntryJson> out = new ArrayList<>();
        node.entries(table).forEach((k, v) -> out.add(new Shapes.EntryJson(k, text(v))));
        return out;
    }

    private ApiReply get(ApiRequest r) {
        String table = r.param("table");
        String key = r.param("key");
        byte[] v = node.get(table, key).orElseThrow(() -> ApiError.notFound("no key '" + key + "' in table '"
            + table + "'"));
        return ApiReply.ok(new Shapes.EntryJson(key, text(v)));
    }

    private ApiReply put(ApiRequest r) {
        String value = r.json("value").string("value");
        node.put(r.param("table"), r.param("key"), value.getBytes(StandardCharsets.UTF_8));
        return ApiReply.noContent();
    }

    private ApiReply delete(ApiRequest r) {
        String table = r.param("table");
        String key = r.param("key");
        if (!node.delete(table, key)) {
            throw ApiError.notFound("no key '" + key + "' in table '" + table + "'");
        }
        return ApiReply.noContent();
    }

    /** A value as UTF-8 text (bytes that are not become U+FFFD). */
    private static String text(byte[] v) {
        return new String(v, StandardCharsets.UTF_8);
    }
}
