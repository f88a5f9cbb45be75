package io.meshd.api;

/** How a request ended, exported as {@code meshd_api_requests_total{outcome}}. */
public enum Outcome {
    /** Answered 2xx. */
    OK,
    /** Refused with a 4xx: the request was wrong. */
    CLIENT_ERROR,
    /** Answered 5xx: the agent failed, or was too busy. */
    SERVER_ERROR;

    /** The outcome of a status. */
    static Outcome of(int status) {
        return status < 400 ? OK : status < 500 ? CLIENT_ERROR : SERVER_ERROR;
    }
}
