package io.meshd.vxlan.vtep;

import io.meshd.shims.DatagramBatch;
import io.meshd.shims.IoVectors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends one datagram (or one UDP GSO batch) straight on a socket's descriptor, from whichever thread has the frame
 * (a TAP poller), so the send path needs no hand-off to the event loop. Sockets are non-blocking: a full send
 * buffer drops the datagram.
 */
interface DatagramSender {

    /**
     * Whether the socket sends gathered pieces ({@code sendmsg} with an iovec array). When false the caller copies
     * every byte of the datagram into the staging buffer, contiguously from its start.
     */
    boolean gathers();

    /**
     * Sends a datagram of {@code length} bytes, described both ways: as {@code pieces} (used when
     * {@link #gathers()}) and, when nothing is gathered from elsewhere, as the first {@code length} bytes of the
     * direct buffer {@code staged}.
     *
     * @return the bytes sent, or 0 when the socket's send buffer is full
     */
    int send(ByteBuffer staged, IoVectors pieces, int length, InetSocketAddress to) throws IOException;

    /** Whether {@link #sendBatch} works: several datagrams in one system call ({@code sendmmsg}). */
    default boolean sendsBatches() {
        return false;
    }

    /**
     * Sends every datagram of {@code batch} (each contiguous, with its own destination) in one system call.
     *
     * @return how many were sent, the first ones in order; fewer when the socket's send buffer filled
     */
    default int sendBatch(DatagramBatch batch) throws IOException {
        throw new UnsupportedOperationException("no batched sends on this socket");
    }
}
