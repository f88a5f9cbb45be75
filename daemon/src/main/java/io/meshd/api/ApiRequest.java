package io.meshd.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request as a handler sees it.
 *
 * @param method the HTTP method
 * @param path the decoded path, e.g. {@code /v1/networks/front}
 * @param params the path's variables by name ({@code {name}} in the route)
 * @param query the query's parameters, decoded
 * @param body the JSON body, or a {@code MissingNode} when there was none
 */
record ApiRequest(String method, String path, Map<String, String> params, Map<String, List<String>> query,
                  JsonNode body) {

    /** A path variable of the route. */
    String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no variable " + name);
        }
        return v;
    }

    /** A required query parameter, given once. */
    String query(String name) {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty() || v.get(0).isEmpty()) {
            throw ApiError.badRequest("missing query parameter '" + name + "'");
        }
        if (v.size() > 1) {
            throw ApiError.badRequest("query parameter '" + name + "' given " + v.size() + " times");
        }
        return v.get(0);
    }

    /** The body as an object holding only {@code known} fields. */
    JsonBody json(String... known) {
        return JsonBody.of(body, Set.of(known));
    }
}
