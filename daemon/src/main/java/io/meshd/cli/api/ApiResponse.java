package io.meshd.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One answer of the local API.
 *
 * @param status the HTTP status
 * @param body the JSON body; on an error, {@code {"error": "...", "status": N}}
 */
public record ApiResponse(int status, JsonNode body) {

    /** Checks the body is present (a {@code NullNode} when there was none). */
    public ApiResponse {
        Objects.requireNonNull(body, "body (NullNode when empty)");
    }

    /** Whether the status is 2xx. */
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The error's message, or a line naming the status when the body has none. */
    public String error() {
        JsonNode e = body.get("error");
        return e != null && e.isTextual() ? e.asText() : "the agent answered HTTP " + status;
    }
}
