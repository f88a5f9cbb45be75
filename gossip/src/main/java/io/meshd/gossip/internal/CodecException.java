package io.meshd.gossip.internal;

/** The only exception the gossip decoder throws: the input is malformed, truncated or over a limit. */
public final class CodecException extends Exception {

    private final Reason reason;

    /** Creates the exception for {@code reason}. */
    public CodecException(Reason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** Why decoding failed (used as a counter key). */
    public Reason reason() {
        return reason;
    }

    /** Why decoding failed. */
    public enum Reason {
        /** Ran out of bytes. */
        TRUNCATED,
        /** Version byte this build does not speak. */
        BAD_VERSION,
        /** Unknown message type. */
        BAD_TYPE,
        /** A length, count or value outside its limit. */
        OUT_OF_RANGE,
        /** Bytes left over after the message. */
        TRAILING_BYTES
    }
}
