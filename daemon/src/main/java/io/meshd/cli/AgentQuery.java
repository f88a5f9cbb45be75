package io.meshd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshd.cli.api.ApiResponse;
import io.meshd.cli.api.LocalApi;
import io.meshd.cli.api.UnixSocketApi;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;

/** One GET to the local agent for a command that prints what it answers ({@code meshd members}, {@code stats}). */
final class AgentQuery {
    private AgentQuery() {
    }

    /**
     * Asks the agent on {@code socket} for {@code path}.
     *
     * @return the answer's body, or null when the agent cannot be reached or refuses (said on the command's stderr)
     */
    static JsonNode get(CommandLine.Model.CommandSpec spec, Path socket, String path) {
        ApiResponse r;
        try (LocalApi api = UnixSocketApi.of(socket)) {
            r = api.call("GET", path, null);
        } catch (IOException e) {
            spec.commandLine().getErr().println(UnixSocketApi.unreachable(socket, e));
            return null;
        }
        if (!r.ok()) {
            spec.commandLine().getErr().println("Error: " + r.error());
            return null;
        }
        return r.body();
    }
}
