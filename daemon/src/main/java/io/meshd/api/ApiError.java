package io.meshd.api;

import io.meshd.MeshRequestException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;

/**
 * A request the API refuses: an HTTP status and one line naming the problem, answered as
 * {@code {"error": "...", "status": N}}. {@link #of(Throwable)} maps what handlers throw: a
 * {@link MeshRequestException} by its kind (400, 404, 409), another {@link IllegalArgumentException} to 400, anything
 * else to 500 with a fixed message (the cause is logged, never sent).
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The message of every 500: the cause stays in the agent's log. */
    static final String INTERNAL = "internal error (see the agent's log)";

    private final int status;
    private final String allow;

    private ApiError(int status, String message, String allow) {
        super(oneLine(message), null, false, false);
        this.status = status;
        this.allow = allow;
    }

    /** A refusal with {@code status} saying {@code message}. */
    public static ApiError of(int status, String message) {
        return new ApiError(status, message, null);
    }

    /** 400. */
    public static ApiError badRequest(String message) {
        return of(400, message);
    }

    /** 404. */
    public static ApiError notFound(String message) {
        return of(404, message);
    }

    /** 409. */
    public static ApiError conflict(String message) {
        return of(409, message);
    }

    /** 405 with the methods the path allows. */
    static ApiError methodNotAllowed(String method, String path, String allow) {
        return new ApiError(405, "method " + method + " is not allowed on " + path + " (allowed: " + allow + ")",
            allow);
    }

    /**
     * What {@code t} is as an answer: itself if it is one, a {@link MeshRequestException} by its kind, another
     * {@link IllegalArgumentException} as 400, anything else as 500.
     */
    public static ApiError of(Throwable t) {
        if (t instanceof ApiError e) {
            return e;
        }
        if (t instanceof MeshRequestException e) {
            return of(switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            }, message(e));
        }
        if (t instanceof IllegalArgumentException e) {
            return badRequest(message(e));
        }
        return of(500, INTERNAL);
    }

    /** Whether this is a server fault (5xx), whose cause should be logged. */
    boolean serverFault() {
        return status >= 500;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The HTTP status as Netty's. */
    HttpResponseStatus httpStatus() {
        return HttpResponseStatus.valueOf(status);
    }

    /** The Allow header of a 405, else null. */
    String allow() {
        return allow;
    }

    /** The body. */
    Shapes.Error body() {
        return new Shapes.Error(getMessage(), status);
    }

    private static String message(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Control characters (line breaks included) become spaces: the message is one line of text. */
    static String oneLine(String message) {
        String m = Objects.requireNonNullElse(message, "error");
        StringBuilder line = new StringBuilder(m.length());
        m.codePoints().forEach(c -> line.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return line.toString();
    }
}
