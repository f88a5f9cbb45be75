package io.meshd.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * The agent's local HTTP/JSON API as the CLI sees it: one request, one answer. The real one talks HTTP/1.1 over the
 * agent's unix socket; tests of the CLI's verbs may answer from memory. The paths and bodies are documented in
 * {@code docs/api.openapi.yaml}.
 */
public interface LocalApi extends AutoCloseable {

    /**
     * Sends one request and waits for its answer.
     *
     * @param method GET, POST, PUT, PATCH or DELETE
     * @param path the path and query, e.g. {@code /v1/networks/front}, already URL-encoded
     * @param body the JSON body, or null for none
     * @return the status and JSON body (a {@code NullNode} when the answer had none)
     * @throws IOException when the agent cannot be reached or its answer is not HTTP with a JSON body
     */
    ApiResponse call(String method, String path, JsonNode body) throws IOException;

    /** Releases the connection, if any. */
    @Override
    void close();
}
