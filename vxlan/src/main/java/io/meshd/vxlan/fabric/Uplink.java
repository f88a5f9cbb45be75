package io.meshd.vxlan.fabric;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The way to remote VTEPs: encapsulates a frame in VXLAN and sends it over UDP (implemented by the VTEP).
 *
 * <p>{@link #send} is called synchronously from whichever thread called {@link SwitchFabric#fromLocal}, possibly
 * several at once; implementations must be thread-safe and must copy what they keep.
 *
 * <p>The bytes in front of {@code offset} belong to whoever filled the buffer: a VTEP that reads frames from its
 * TAPs behind {@link io.meshd.vxlan.codec.VxlanCodec#HEADER_LENGTH} bytes of headroom may write the VXLAN header
 * there in place and send header and frame as one datagram without a copy (every copy of a flood carries the same
 * VNI, so rewriting the header is harmless). Frames built by the fabric itself (ARP replies) never go to the uplink.
 */
public interface Uplink {
    /**
     * Encapsulates and sends one frame to one remote VTEP. Must not block for long and must not retain the buffer.
     *
     * @param vni the network the frame belongs to
     * @param to the remote VTEP
     * @param frame the buffer holding the inner Ethernet frame
     * @param offset where the frame starts
     * @param length the frame length
     */
    void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length);

    /**
     * Encapsulates and sends every segment of a super-frame to one remote VTEP, in order. The default builds each
     * segment in {@code scratch} and {@link #send}s it; a VTEP that can batch overrides it to build segments
     * straight into its send buffer.
     *
     * @param vni the network the frame belongs to
     * @param to the remote VTEP
     * @param frame the prepared super-frame
     * @param scratch room for one segment, owned by the calling thread
     */
    default void sendSegments(int vni, RemoteVtep to, SegmentedFrame frame, MutableDirectBuffer scratch) {
        for (int i = 0; i < frame.segments(); i++) {
            send(vni, to, scratch, 0, frame.writeSegment(i, scratch, 0));
        }
    }
}
