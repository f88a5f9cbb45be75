package io.meshd.vxlan.fabric;

import org.agrona.DirectBuffer;

/**
 * The way to remote VTEPs: encapsulates a frame in VXLAN and sends it over UDP (implemented by the VTEP).
 *
 * <p>{@link #send} is called synchronously from whichever thread called {@link SwitchFabric#fromLocal}, possibly
 * several at once; implementations must be thread-safe and must copy what they keep.
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
}
