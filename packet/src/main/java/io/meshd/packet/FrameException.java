package io.meshd.packet;

/**
 * A frame or header is truncated, malformed or cannot be written. Unchecked, and stackless: the packet path
 * throws the two shared instances {@link #truncated()} and {@link #malformed()}, so throwing costs neither a stack
 * walk nor an allocation. Code on the hot path should prefer the non-throwing {@code tryWrap}/{@code isWellFormed}
 * methods of the views and count the drop instead.
 */
public final class FrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final FrameException TRUNCATED = new FrameException("frame truncated");
    private static final FrameException MALFORMED = new FrameException("frame malformed");

    /**
     * Creates a stackless exception with the given message.
     *
     * @param message what is wrong with the frame
     */
    public FrameException(String message) {
        super(message, null, false, false);
    }

    /**
     * The shared instance for a header that does not fit in the bytes given.
     *
     * @return a preallocated, stackless exception
     */
    public static FrameException truncated() {
        return TRUNCATED;
    }

    /**
     * The shared instance for a header whose fields contradict each other or the bytes given.
     *
     * @return a preallocated, stackless exception
     */
    public static FrameException malformed() {
        return MALFORMED;
    }
}
