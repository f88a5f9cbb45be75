package io.meshd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A request body read field by field: a JSON object holding only the fields a request knows, each of its type.
 * Every refusal is a 400 naming the field and what was expected ({@code field 'vni': expected an integer, got
 * "5"}); nothing is coerced (a number is no string and a string no number).
 */
final class JsonBody {
    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /**
     * The body as an object of {@code known} fields only.
     *
     * @throws ApiError 400 when there is no body, it is not an object, or it holds another field
     */
    static JsonBody of(JsonNode body, Set<String> known) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            throw ApiError.badRequest("missing JSON body (an object with " + String.join(", ", known) + ")");
        }
        if (!(body instanceof ObjectNode o)) {
            throw ApiError.badRequest("the body must be a JSON object, not " + kind(body));
        }
        for (Map.Entry<String, JsonNode> field : o.properties()) {
            String name = field.getKey();
            if (!known.contains(name)) {
                throw ApiError.badRequest("unknown field '" + ApiError.oneLine(clip(name)) + "' (known: "
                    + String.join(", ", known) + ")");
            }
        }
        return new JsonBody(o);
    }

    /** A required string. */
    String string(String field) {
        return optString(field).orElseThrow(() -> ApiError.badRequest("missing field '" + field + "'"));
    }

    /** A string, absent when missing or null. */
    Optional<String> optString(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw wrong(field, "a string", v);
        }
        return Optional.of(v.textValue());
    }

    /** An integer, absent when missing or null. */
    OptionalInt optInt(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return OptionalInt.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrong(field, "an integer", v);
        }
        return OptionalInt.of(v.intValue());
    }

    /** A list of strings, empty when missing or null. */
    List<String> strings(String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : array(field)) {
            if (!e.isTextual()) {
                throw wrong(field, "an array of strings", e);
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** A list of objects, empty when missing or null: each read with {@code known} fields. */
    List<JsonBody> objects(String field, Set<String> known) {
        List<JsonBody> out = new ArrayList<>();
        for (JsonNode e : array(field)) {
            if (!e.isObject()) {
                throw wrong(field, "an array of objects", e);
            }
            try {
                out.add(of(e, known));
            } catch (ApiError inner) {
                throw ApiError.badRequest("field '" + field + "': " + inner.getMessage());
            }
        }
        return out;
    }

    /** A required object of integers, in its order. */
    Map<String, Integer> intMap(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw ApiError.badRequest("missing field '" + field + "'");
        }
        if (!v.isObject()) {
            throw wrong(field, "an object", v);
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        v.properties().forEach(e -> {
            JsonNode n = e.getValue();
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw wrong(field + "." + ApiError.oneLine(clip(e.getKey())), "an integer", n);
            }
            out.put(e.getKey(), n.intValue());
        });
        return out;
    }

    private List<JsonNode> array(String field) {
        JsonNode v = node.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw wrong(field, "an array", v);
        }
        v.forEach(out::add);
        return out;
    }

    private static ApiError wrong(String field, String expected, JsonNode got) {
        return ApiError.badRequest("field '" + field + "': expected " + expected + ", got " + kind(got));
    }

    private static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> v.isIntegralNumber() ? (v.canConvertToInt() ? "a number" : "a number out of range")
                : "a number with a fraction";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A field name echoed in a message, cut to a readable length. */
    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
