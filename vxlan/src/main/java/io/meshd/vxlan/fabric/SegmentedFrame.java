package io.meshd.vxlan.fabric;

import org.agrona.MutableDirectBuffer;

/**
 * A TCP super-frame (what a TAP with TSO hands out) that is cut into wire-sized segments on its way out. Every
 * segment carries the super-frame's Ethernet header and flow, so the switch decides once for all of them and the
 * uplink can build each segment straight into its send buffer, or build only its headers and send the payload
 * from where it already lies.
 *
 * <p>Implementations are stateful views of one prepared super-frame, owned by one thread.
 */
public interface SegmentedFrame {

    /**
     * The buffer holding the super-frame (its headers are those of every segment but lengths and sequence); writable,
     * so the switch's {@link FrameHook} can rewrite the headers once for every segment.
     */
    MutableDirectBuffer buffer();

    /** Where the super-frame starts in {@link #buffer()}. */
    int offset();

    /** The super-frame's length. */
    int length();

    /** How many segments it is cut into (at least one). */
    int segments();

    /** The length of segment {@code index}: its headers and its payload. */
    int segmentLength(int index);

    /** Writes segment {@code index}, headers and payload, to {@code out} at {@code at}; returns its length. */
    int writeSegment(int index, MutableDirectBuffer out, int at);

    /**
     * Writes only the headers of segment {@code index} to {@code out} at {@code at}, with every length and
     * checksum final; its payload stays where {@link #payloadAddress(int)} says. Returns the headers' length.
     */
    int writeHeaders(int index, MutableDirectBuffer out, int at);

    /**
     * The native address of segment {@code index}'s payload inside {@link #buffer()}, or 0 when the buffer is not
     * in native memory (then only {@link #writeSegment} can be used).
     */
    long payloadAddress(int index);
}
