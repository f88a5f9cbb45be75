package io.meshd.vxlan.fabric;

import org.agrona.DirectBuffer;

/**
 * A port of the switch on this host, e.g. a TAP device in a container's namespace.
 *
 * <p>{@link #deliver} is called synchronously from whichever thread called {@link SwitchFabric#fromLocal} or
 * {@link SwitchFabric#fromUplink}, possibly several at once, so implementations must be thread-safe; they must copy
 * what they keep, because the buffer is reused as soon as the call returns.
 */
public interface LocalPort {
    /**
     * An identifier unique among the ports attached to one fabric.
     *
     * @return the port id
     */
    int id();

    /**
     * Hands a frame to the port (write it to the TAP, queue a copy, ...). Must not block for long and must not
     * retain the buffer.
     *
     * @param frame the buffer holding the Ethernet frame
     * @param offset where the frame starts
     * @param length the frame length
     */
    void deliver(DirectBuffer frame, int offset, int length);
}
