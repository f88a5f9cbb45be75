package io.meshd.api;

/**
 * A handler's answer.
 *
 * @param status the HTTP status
 * @param body what is written as JSON, or null for no body (204)
 */
record ApiReply(int status, Object body) {

    /** 200 with {@code body}. */
    static ApiReply ok(Object body) {
        return new ApiReply(200, body);
    }

    /** 201 with {@code body}. */
    static ApiReply created(Object body) {
        return new ApiReply(201, body);
    }

    /** 204. */
    static ApiReply noContent() {
        return new ApiReply(204, null);
    }
}
