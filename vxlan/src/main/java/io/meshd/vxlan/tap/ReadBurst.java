package io.meshd.vxlan.tap;

/**
 * Brackets the frames switched from one TAP read (a TSO super-frame can become 44 of them) so the uplink can batch
 * their sends, e.g. into one UDP GSO send. Called on the reader thread; {@link #end()} must send what is pending.
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
}
