package io.meshd.vxlan.vtep;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends one datagram straight on a socket's descriptor, from whichever thread has the frame (a TAP reader), so the
 * send path needs no hand-off to the event loop. Sockets are non-blocking: a full send buffer drops the datagram.
 */
interface DatagramSender {

    /**
     * Sends {@code length} bytes from the start of a direct buffer.
     *
     * @return the bytes sent, or 0 when the socket's send buffer is full
     */
    int send(ByteBuffer direct, int length, InetSocketAddress to) throws IOException;

    /** Whether {@link #sendGather} works: the datagram may then be gathered from pieces ({@code sendmsg}). */
    default boolean gathers() {
        return false;
    }

    /**
     * Sends one datagram (or one UDP GSO batch) gathered from {@code count} pieces described by a native
     * {@code struct iovec} array at {@code iovecs}.
     *
     * @return the bytes sent, or 0 when the socket's send buffer is full
     * @throws UnsupportedOperationException when {@link #gathers()} is false
     */
    default int sendGather(long iovecs, int count, InetSocketAddress to) throws IOException {
        throw new UnsupportedOperationException("this socket cannot gather");
    }
}
