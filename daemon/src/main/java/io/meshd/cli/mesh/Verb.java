package io.meshd.cli.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.meshd.cli.api.ApiResponse;
import io.meshd.cli.mesh.Converters.Format;
import io.meshd.cli.api.LocalApi;
import io.meshd.cli.api.UnixSocketApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * One mesh verb: opens the local API on {@code --socket}, runs, and turns failures into a line on stderr and exit
 * code 1: {@code Error: <the API's message>}, or {@code Error: cannot reach the meshd agent at PATH: ...} when the
 * agent does not answer.
 */
abstract class Verb implements Callable<Integer> {

    /** Where the agent listens unless {@code --socket} says otherwise; the same as {@code meshd agent}'s default. */
    static final String DEFAULT_SOCKET = "/run/meshd/meshd.sock";

    /** How the verbs reach the agent: HTTP over its unix socket; tests may answer from memory. */
    static volatile ApiFactory factory = UnixSocketApi::of;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = DEFAULT_SOCKET,
        description = "The local agent's API socket (default: ${DEFAULT-VALUE}).")
    Path socket;

    /** A request the agent refused, or an answer this verb cannot use: its message is printed after "Error: ". */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public final Integer call() {
        try (LocalApi api = factory.open(socket)) {
            return run(api);
        } catch (IOException e) {
            err().println(UnixSocketApi.unreachable(socket, e));
            return 1;
        } catch (Failure e) {
            err().println("Error: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Does the verb's requests and prints the outcome.
     *
     * @param api the agent's API
     * @return the exit code
     * @throws IOException when the agent cannot be reached
     * @throws Failure when the agent refuses a request
     */
    abstract int run(LocalApi api) throws IOException, Failure;

    /**
     * Sends one request and checks its status.
     *
     * @param expected the status the contract promises on success (200, 201 or 204)
     * @return the answer's body
     * @throws Failure carrying the API's error message on a 4xx or 5xx, or naming an unexpected 2xx
     */
    static JsonNode expect(LocalApi api, String method, String path, JsonNode body, int expected)
        throws IOException, Failure {
        return check(api.call(method, path, body), method, path, expected);
    }

    /**
     * Sends a GET whose 404 is an answer, not a failure (something removed between two requests).
     *
     * @return the body on 200, null on 404
     * @throws Failure as {@link #expect} does otherwise
     */
    static JsonNode getIfPresent(LocalApi api, String path) throws IOException, Failure {
        ApiResponse r = api.call("GET", path, null);
        return r.status() == 404 ? null : check(r, "GET", path, 200);
    }

    /**
     * {@code inspect NAME...}: GETs each name's path and prints what was found as one JSON array, or each object
     * through {@code table} (a blank line between two). A refused name is an error line and makes the exit code 1;
     * when every name is refused nothing goes to stdout (docker prints {@code []}), as on every error path.
     */
    int inspect(LocalApi api, List<String> names, Function<String, String> path, Format format,
        Consumer<JsonNode> table) throws IOException {
        ArrayNode found = Json.array();
        int code = 0;
        for (String name : names) {
            try {
                found.add(expect(api, "GET", path.apply(name), null, 200));
            } catch (Failure e) {
                err().println("Error: " + e.getMessage());
                code = 1;
            }
        }
        if (format == Format.JSON && !found.isEmpty()) {
            out().println(Json.pretty(found));
        } else if (format != Format.JSON) {
            for (int i = 0; i < found.size(); i++) {
                if (i > 0) {
                    out().println();
                }
                table.accept(found.get(i));
            }
        }
        return code;
    }

    /**
     * {@code rm NAME...}: DELETEs each name's path and prints each name removed; a refused name is an error line and
     * makes the exit code 1.
     */
    int remove(LocalApi api, List<String> names, Function<String, String> path) throws IOException {
        int code = 0;
        for (String name : names) {
            try {
                expect(api, "DELETE", path.apply(name), null, 204);
                out().println(name);
            } catch (Failure e) {
                err().println("Error: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }

    private static JsonNode check(ApiResponse r, String method, String path, int expected) throws Failure {
        if (r.status() == expected) {
            return r.body();
        }
        if (!r.ok()) {
            throw new Failure(r.error());
        }
        throw new Failure("the agent answered HTTP " + r.status() + " to " + method + " " + path + " (expected "
            + expected + ")");
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
