package io.meshd.vxlan.vtep;

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
 * contiguously. Owned by one thread ({@link VtepSender} keeps one per thread); allocation-free after construction.
 */
final class SendBuffer {
    final ByteBuffer buffer = ByteBuffer.allocateDirect(VxlanCodec.MAX_UDP_PAYLOAD + 1);
    final UnsafeBuffer view = new UnsafeBuffer(buffer);
    /** Two pieces per datagram (headers, payload) and 64 datagrams per batch fit. */
    final IoVectors pieces = new IoVectors(2 * VxlanCodec.MAX_GSO_SEGMENTS);
    /** Inside a send burst: GSO-sized datagrams are held back until its end. */
    boolean bursting;
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

    /** Where the next datagram goes; {@code last}: nothing may follow it in this batch. */
    void target(UdpSocket s, InetSocketAddress to, boolean last) {
        socket = s;
        destination = to;
        closed = last;
    }

    /** Appends a frame behind a VXLAN header, copied. */
    void append(int vni, DirectBuffer frame, int offset, int length) {
        view.putBytes(staged + VxlanHeader.LENGTH, frame, offset, length);
        stage(vni, length);
    }

    /** Appends a segment behind a VXLAN header: its headers copied, its payload in place when it can be. */
    void appendSegment(int vni, SegmentedFrame frame, int index) {
        long payload = socket.sender().gathers() ? frame.payloadAddress(index) : 0;
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
        staged += datagram;
        bytes += datagram;
        count++;
    }

    void reset() {
        count = 0;
        bytes = 0;
        staged = 0;
        pieces.clear();
    }
}
