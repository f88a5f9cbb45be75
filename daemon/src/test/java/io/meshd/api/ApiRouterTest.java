package io.meshd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshd.MeshRequestException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing, path decoding, body reading and the error mapping, without a server. */
class ApiRouterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Router router = Router.builder()
        .route("GET", "/v1/things", r -> ApiReply.ok("list"))
        .route("POST", "/v1/things", r -> ApiReply.created("made"))
        .route("GET", "/v1/things/{name}", r -> ApiReply.ok(r.param("name")))
        .route("DELETE", "/v1/things/{name}", r -> ApiReply.noContent())
        .route("GET", "/v1/tables/{table}/{key}", r -> ApiReply.ok(r.param("table") + "|" + r.param("key")))
        .build();

    @Test
    void shouldMatchLiteralPathsAndBindVariablesAfterSplittingAtSlashes() throws Exception {
        assertEquals("list", router.match("GET", "/v1/things").route().handler().handle(null).body());
        Router.Match m = router.match("GET", "/v1/tables/t/front%2Fweb.1");
        assertEquals(Map.of("table", "t", "key", "front/web.1"), m.params());
        assertEquals(Map.of("name", "caf\u00e9 +"), router.match("GET", "/v1/things/caf%C3%A9%20+").params());
        assertEquals(Set.of("/v1/things", "/v1/things/{name}", "/v1/tables/{table}/{key}"), router.patterns());
        assertEquals(Set.of("GET", "POST"), router.methods().get("/v1/things"));
    }

    @Test
    void shouldAnswer404ForUnknownPathsAnd405WithAllowForOtherMethods() {
        assertEquals(404, assertThrows(ApiError.class, () -> router.match("GET", "/v1/thing")).status());
        assertEquals(404, assertThrows(ApiError.class, () -> router.match("GET", "/v1/things/")).status(),
            "an empty variable matches nothing");
        assertEquals(404, assertThrows(ApiError.class, () -> router.match("GET", "*")).status());
        ApiError e = assertThrows(ApiError.class, () -> router.match("PUT", "/v1/things/x"));
        assertEquals(405, e.status());
        assertEquals("DELETE, GET", e.allow());
        assertTrue(e.getMessage().contains("PUT"), e.getMessage());
    }

    @Test
    void shouldRefuseBrokenEscapesWith400() {
        assertEquals(400, assertThrows(ApiError.class, () -> router.match("GET", "/v1/things/%zz")).status());
        assertEquals(400, assertThrows(ApiError.class, () -> router.match("GET", "/v1/things/%C3")).status(),
            "not UTF-8");
        assertEquals(400, assertThrows(ApiError.class, () -> router.match("GET", "/v1/things/a%2")).status());
    }

    @Test
    void shouldMapExceptionsToStatusesWithoutLeakingInternals() {
        assertEquals(400, ApiError.of(new MeshRequestException(MeshRequestException.Kind.INVALID, "bad")).status());
        assertEquals(404, ApiError.of(new MeshRequestException(MeshRequestException.Kind.NOT_FOUND, "x")).status());
        ApiError conflict = ApiError.of(new MeshRequestException(MeshRequestException.Kind.CONFLICT, "taken\nnow"));
        assertEquals(409, conflict.status());
        assertEquals("taken now", conflict.getMessage(), "one line");
        assertEquals(400, ApiError.of(new IllegalArgumentException("bad name")).status());
        ApiError internal = ApiError.of(new NullPointerException("secret detail"));
        assertEquals(500, internal.status());
        assertEquals(ApiError.INTERNAL, internal.getMessage());
        assertEquals(500, ApiError.of(new IllegalStateException("closed")).status());
        assertEquals(0, internal.getStackTrace().length, "an answer carries no stack");
    }

    @Test
    void shouldReadBodiesStrictlyNamingTheField() throws Exception {
        JsonBody b = JsonBody.of(JSON.readTree("{\"name\":\"n\",\"vni\":5,\"aliases\":[\"a\"],\"w\":{\"x\":0}}"),
            Set.of("name", "vni", "aliases", "w", "subnet"));
        assertEquals("n", b.string("name"));
        assertEquals(5, b.optInt("vni").getAsInt());
        assertTrue(b.optString("subnet").isEmpty());
        assertEquals(java.util.List.of("a"), b.strings("aliases"));
        assertEquals(Map.of("x", 0), b.intMap("w"));
        assertTrue(assertThrows(ApiError.class, () -> b.optString("vni")).getMessage()
            .contains("field 'vni': expected a string, got a number"));
        assertTrue(assertThrows(ApiError.class, () -> b.string("subnet")).getMessage()
            .contains("missing field 'subnet'"));
        assertTrue(assertThrows(ApiError.class, () -> JsonBody.of(JSON.readTree("{\"vni\":5.5}"), Set.of("vni"))
            .optInt("vni")).getMessage().contains("a number with a fraction"));
        assertTrue(assertThrows(ApiError.class, () -> JsonBody.of(JSON.readTree("{\"vni\":99999999999}"),
            Set.of("vni")).optInt("vni")).getMessage().contains("out of range"));
        assertTrue(assertThrows(ApiError.class, () -> JsonBody.of(JSON.readTree("{\"x\":1}"), Set.of("vni")))
            .getMessage().contains("unknown field 'x'"));
        assertTrue(assertThrows(ApiError.class, () -> JsonBody.of(null, Set.of("vni"))).getMessage()
            .contains("missing JSON body"));
        assertNull(ApiError.of(new IllegalArgumentException("x")).allow());
    }
}
