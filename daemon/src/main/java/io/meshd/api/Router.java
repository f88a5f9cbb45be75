package io.meshd.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matches a method and a decoded path to a handler. A route's path is literal segments and variables
 * ({@code /v1/networks/{name}}); a variable matches one non-empty segment. A path no route matches is a 404; a path
 * some route matches with another method is a 405 naming the allowed ones.
 */
public final class Router {

    /** Answers one request; may block (it runs on the API's executor, never on an event loop). */
    @FunctionalInterface
    interface Handler {
        ApiReply handle(ApiRequest request) throws Exception;
    }

    /**
     * One route.
     *
     * @param method the HTTP method
     * @param pattern the path with {@code {variables}}
     * @param handler what answers
     */
    record Route(String method, String pattern, Handler handler) {
        List<String> segments() {
            return split(pattern);
        }
    }

    /**
     * A matched route and the path's variables.
     *
     * @param route the route
     * @param params the variables by name
     */
    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes;

    private Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** An empty builder. */
    static Builder builder() {
        return new Builder();
    }

    /** Every route's path pattern (each once), e.g. {@code /v1/networks/{name}}. */
    public Set<String> patterns() {
        Set<String> out = new LinkedHashSet<>();
        routes.forEach(r -> out.add(r.pattern()));
        return out;
    }

    /** Every method of each pattern. */
    public Map<String, Set<String>> methods() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        routes.forEach(r -> out.computeIfAbsent(r.pattern(), p -> new TreeSet<>()).add(r.method()));
        return out;
    }

    /**
     * The route for {@code method} on {@code rawPath} (as sent: each segment is percent-decoded after the path is
     * split at its slashes, so a variable may hold {@code %2F}).
     *
     * @throws ApiError 404 when no route has the path, 405 when none has it with this method, 400 for a bad escape
     */
    Match match(String method, String rawPath) {
        List<String> segments = new ArrayList<>();
        split(rawPath).forEach(s -> segments.add(PercentDecoder.decode(s)));
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), segments);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method)) {
                return new Match(r, params);
            }
            allowed.add(r.method());
        }
        if (allowed.isEmpty()) {
            throw ApiError.notFound("no such path: " + clip(rawPath));
        }
        throw ApiError.methodNotAllowed(clip(method), clip(rawPath), String.join(", ", allowed));
    }

    private static Map<String, String> bind(List<String> pattern, List<String> path) {
        if (pattern.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            String s = path.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                if (s.isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), s);
            } else if (!p.equals(s)) {
                return null;
            }
        }
        return params;
    }

    /** {@code /a/b/} is {@code [a, b, ""]}: a trailing slash is a different path. */
    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        if (!path.startsWith("/")) {
            out.add("\u0000"); // matches no route
            return out;
        }
        int start = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                out.add(path.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** Builds a {@link Router}. */
    static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        /** Adds a route. */
        Builder route(String method, String pattern, Handler handler) {
            routes.add(new Route(method, pattern, handler));
            return this;
        }

        Router build() {
            return new Router(routes);
        }
    }
}
