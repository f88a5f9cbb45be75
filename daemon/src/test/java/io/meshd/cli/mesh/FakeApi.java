package io.meshd.cli.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.meshd.cli.api.ApiResponse;
import io.meshd.cli.api.LocalApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local API answered from memory: canned answers per method and path, each used once, and every request kept
 * with its body as the compact JSON text that was sent. A request without an answer fails the test.
 */
final class FakeApi implements LocalApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A request as sent. */
    record Request(String method, String path, String body) {
        @Override
        public String toString() {
            return method + " " + path + (body == null ? "" : " " + body);
        }
    }

    final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<ApiResponse>> answers = new HashMap<>();
    private int closed;
    private String failure;

    /**
     * Queues an answer.
     *
     * @param json the body, or null for none
     */
    FakeApi answer(String method, String path, int status, String json) {
        JsonNode body;
        try {
            body = json == null ? NullNode.getInstance() : MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        answers.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>()).add(new ApiResponse(status, body));
        return this;
    }

    /** Makes every request fail as when the connection breaks: an IOException with this message. */
    FakeApi failing(String why) {
        failure = why;
        return this;
    }

    /** Queues the contract's error answer. */
    FakeApi error(String method, String path, int status, String message) {
        return answer(method, path, status, "{\"error\": \"" + message + "\", \"status\": " + status + "}");
    }

    @Override
    public ApiResponse call(String method, String path, JsonNode body) throws IOException {
        requests.add(new Request(method, path, body == null ? null : body.toString()));
        if (failure != null) {
            throw new IOException(failure);
        }
        Deque<ApiResponse> queue = answers.get(method + " " + path);
        if (queue == null || queue.isEmpty()) {
            throw new AssertionError("no canned answer for " + method + " " + path);
        }
        return queue.poll();
    }

    /** The requests as text, one per element: {@code METHOD PATH [BODY]}. */
    List<String> sent() {
        return requests.stream().map(Request::toString).toList();
    }

    int closed() {
        return closed;
    }

    @Override
    public void close() {
        closed++;
    }
}
