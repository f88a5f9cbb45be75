package io.meshd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshd.Mesh;
import io.meshd.gossip.security.Keyring;
import io.meshd.net.metrics.MetricRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Arbitrary bytes as a request on the API socket (sent, then the client half-closes): the server answers with exactly
 * one well-formed HTTP/1.1 response and closes; its body is JSON, on an error {@code {"error": one line, "status":
 * the status}}; never a 500 (an unexpected exception); and the server goes on answering.
 */
class ApiServerFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXCEPTION = Pattern.compile("[A-Za-z_$][\\w$]*(Exception|Error)\\b");
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) [^\\r\\n]*");

    private static Path dir;
    private static Mesh mesh;
    private static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        mesh = ApiTestMesh.start("fuzz", Keyring.of(ApiTestMesh.KEY));
        dir = Files.createTempDirectory("meshd-api-fuzz");
        MetricRegistry registry = new MetricRegistry();
        server = ApiServer.builder(dir.resolve("meshd.sock"), ApiRoutes.of(mesh, Optional.of(Keyring.of(
            ApiTestMesh.KEY)), registry)).timeout(Duration.ofSeconds(2)).start();
        registry.register(server.metrics());
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        mesh.close();
        Files.deleteIfExists(dir);
    }

    @FuzzTest
    void shouldAnswerEveryRequestWithOneJsonHttpResponse(byte[] request) throws IOException {
        byte[] answer = ApiServerTest.exchange(server.path(), request);
        checkResponse(answer, isHead(request), new String(request, StandardCharsets.ISO_8859_1));
        byte[] again = ApiServerTest.exchange(server.path(),
            "GET /v1/members HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(new String(again, StandardCharsets.UTF_8).startsWith("HTTP/1.1 200 "), "the server goes on");
    }

    /** Whether the codec reads the request as a HEAD (its answer then has no body, whatever its Content-Length). */
    private static boolean isHead(byte[] request) {
        int i = 0;
        while (i < request.length && (Character.isWhitespace(request[i] & 0xff)
            || Character.isISOControl(request[i] & 0xff))) {
            i++;
        }
        return new String(request, i, Math.min(5, request.length - i), StandardCharsets.ISO_8859_1)
            .startsWith("HEAD ");
    }

    /** One response: status line, headers, a body of exactly Content-Length bytes, nothing after. */
    static void checkResponse(byte[] answer, boolean head, String request) throws IOException {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        assertTrue(end > 0, "a complete head: " + text);
        String[] lines = text.substring(0, end).split("\r\n", -1);
        Matcher m = STATUS.matcher(lines[0]);
        assertTrue(m.matches(), "a status line: " + lines[0]);
        int status = Integer.parseInt(m.group(1));
        int length = -1;
        String type = "";
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            assertTrue(colon > 0, "a header line: " + lines[i]);
            String name = lines[i].substring(0, colon).toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            } else if (name.equals("content-type")) {
                type = value;
            }
        }
        byte[] body = Arrays.copyOfRange(answer, end + 4, answer.length);
        if (status == 204) {
            assertEquals(-1, length, "no Content-Length on a 204 (RFC 9110): " + text);
            assertEquals(0, body.length, "no body, and the only answer: " + text);
            return;
        }
        assertTrue(length >= 0, "a Content-Length: " + text);
        if (head && body.length == 0) {
            return;
        }
        assertEquals(length, body.length, "the body is Content-Length bytes, and the only answer: " + text);
        assertNotEquals(500, status, "no unexpected exception: " + text);
        assertEquals("application/json", type, text);
        JsonNode json = JSON.readTree(body);
        if (status >= 400) {
            assertEquals(2, json.size(), text);
            assertEquals(status, json.path("status").asInt(), text);
            String error = json.path("error").asText();
            assertFalse(error.isBlank(), text);
            assertTrue(error.codePoints().noneMatch(Character::isISOControl), "one line: " + text);
            // one line is no stack trace; an exception's class name only where the request itself wrote it
            Matcher named = EXCEPTION.matcher(error);
            while (named.find()) {
                assertTrue(request.contains(named.group()), "no exception named: " + text);
            }
        }
    }
}
