package io.meshd.vxlan.vtep;

import io.meshd.shims.DatagramBatch;
import io.meshd.shims.IoVectors;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.vxlan.codec.VxlanHeader;
import io.meshd.vxlan.fabric.SegmentedFrame;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One sending thread's datagram or GSO batch being gathered (datagrams of the socket's GSO size back to back; a
 * shorter one can only be the last). Its bytes are described by an iovec array of pieces: bytes copied into the
 * staging buffer (VXLAN headers, whole small frames, segment headers) and segment payloads left where they lie.
 * Sockets that cannot gather (NIO) only ever get copies, so the staging buffer then holds the datagram
 * contiguously. Or, inside a send burst, a batch of short datagrams for one socket ({@link #batching}): each copied
 * whole into the staging buffer and sent as its own message of one {@code sendmmsg}. Owned by one thread
 * ({@link VtepSender} keeps one per thread); allocation-free after construction.
 */
final class SendBuffer {
    final ByteBuffer buffer = ByteBuffer.allocateDirect(VxlanCodec.MAX_UDP_PAYLOAD + 1);
    final UnsafeBuffer view = new UnsafeBuffer(buffer);
    /** Two pieces per datagram (headers, payload) and 64 datagrams per batch fit. */
    final IoVectors pieces = new IoVectors(2 * VxlanCodec.MAX_GSO_SEGMENTS);
    /** Short datagrams gathered for one {@code sendmmsg} (when {@link #batching}). */
    final DatagramBatch messages = new DatagramBatch(VxlanCodec.MAX_GSO_SEGMENTS);
    /** Inside a send burst: GSO-sized datagrams are held back until its end. */
    boolean bursting;
    /** Whether the datagrams gathered are separate messages for {@code sendmmsg}, not one GSO batch. */
    boolean batching;
    /** The destination of the next message, in numbers (for {@link #messages}). */
    int destinationIpv4;
    int destinationPort;
    int count;
    /** Bytes of the datagrams gathered so far. */
    int bytes;
    /** Bytes used in the staging buffer (equal to {@link #bytes} when nothing is sent from elsewhere). */
    int staged;
    boolean closed;
    UdpSocket socket;
    InetSocketAddress destination;

    boolean canAppend(UdpSocket s, InetSocketAddress to, int datagram) {
        return !closed && socket == s && destination == to && count < VxlanCodec.MAX_GSO_SEGMENTS
            && bytes + datagram <= VxlanCodec.MAX_UDP_PAYLOAD;
    }

    /** Whether a short datagram may join the {@code sendmmsg} batch gathered for {@code s}. */
    boolean canBatch(UdpSocket s, int datagram) {
        return batching && socket == s && messages.remaining() > 0 && staged + datagram <= VxlanCodec.MAX_UDP_PAYLOAD;
    }

    /** Where the next datagram goes; {@code last}: nothing may follow it in this batch. */
    void target(UdpSocket s, InetSocketAddress to, boolean last) {
        socket = s;
        destination = to;
        closed = last;
        batching = false;
    }

    /**
     * The next datagram is a message of its own in a {@code sendmmsg} batch on {@code s}, to {@code ipv4:port}
     * (called before each; the batch is for one socket, each message has its own destination).
     */
    void batch(UdpSocket s, InetSocketAddress to, int ipv4, int port) {
        socket = s;
        destination = to;
        closed = false;
        batching = true;
        destinationIpv4 = ipv4;
        destinationPort = port;
    }

    /** Appends a frame behind a VXLAN header, copied. */
    void append(int vni, DirectBuffer frame, int offset, int length) {
        view.putBytes(staged + VxlanHeader.LENGTH, frame, offset, length);
        stage(vni, length);
    }

    /** Appends a segment behind a VXLAN header: its headers copied, its payload in place when it can be. */
    void appendSegment(int vni, SegmentedFrame frame, int index) {
        long payload = socket.sender().gathers() && !batching ? frame.payloadAddress(index) : 0;
        if (payload == 0) {
            stage(vni, frame.writeSegment(index, view, staged + VxlanHeader.LENGTH));
            return;
        }
        int headers = frame.writeHeaders(index, view, staged + VxlanHeader.LENGTH);
        stage(vni, headers);
        int payloadLength = frame.segmentLength(index) - headers;
        pieces.add(payload, payloadLength);
        bytes += payloadLength;
    }

    /** Writes the VXLAN header in front of {@code length} bytes just copied to the staging buffer. */
    private void stage(int vni, int length) {
        VxlanCodec.encode(view, staged, vni);
        int datagram = VxlanHeader.LENGTH + length;
        pieces.add(view.addressOffset() + staged, datagram);
        if (batching) {
            messages.add(view.addressOffset() + staged, datagram, destinationIpv4, destinationPort);
        }
        staged += datagram;
        bytes += datagram;
        count++;
    }

    void reset() {
        count = 0;
        bytes = 0;
        staged = 0;
        pieces.clear();
        messages.clear();
        batching = false;
    }
}
