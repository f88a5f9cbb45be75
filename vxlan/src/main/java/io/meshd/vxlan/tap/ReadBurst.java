package io.meshd.vxlan.tap;

/**
 * Brackets the frames switched from a run of reads so whoever they go to can batch them: on a TAP poller, the
 * frames of one poll of a queue (up to {@link TapPollers#READ_BUDGET} reads; a TSO super-frame can become 44
 * frames), which the uplink gathers into UDP GSO sends and {@code sendmmsg} batches; on the VTEP's event loop, the
 * datagrams of one receive burst, whose TCP segments the TAP ports coalesce. Called on the reading thread;
 * {@link #end()} must write or send everything gathered, because what was gathered may point into memory the
 * reader reuses or frees once the burst is over (the VTEP's {@code ReceiveBurst} checks {@link #pending()} and
 * reports a port that keeps anything; a TAP poller ends and begins again after a super-frame whose segments are
 * still held, before its read buffer is reused).
 */
public interface ReadBurst {

    /** Nothing to batch. */
    ReadBurst NONE = new ReadBurst() {
        @Override
        public void begin() {
        }

        @Override
        public void end() {
        }
    };

    /** Frames switched on this thread until {@link #end()} may be held back and sent together. */
    void begin();

    /** Sends whatever this thread holds back. */
    void end();

    /**
     * Whether this thread still holds back anything gathered since {@link #begin()}: false after {@link #end()}
     * unless the implementation is broken.
     */
    default boolean pending() {
        return false;
    }
}
