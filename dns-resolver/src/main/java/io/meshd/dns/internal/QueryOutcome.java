package io.meshd.dns.internal;

/** What became of one query on the query path. */
public enum QueryOutcome {
    /** Nothing to send; the reason has been counted. */
    DROPPED,
    /** The response has been written. */
    ANSWERED,
    /** A valid query that is not ours: forward it. Nothing has been written. */
    FORWARD,
}
