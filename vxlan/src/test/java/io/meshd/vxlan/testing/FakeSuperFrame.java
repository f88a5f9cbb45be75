package io.meshd.vxlan.testing;

import io.meshd.vxlan.fabric.SegmentedFrame;
import java.nio.ByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A super-frame for the switch's and the uplink's tests: headers and a payload cut into equal pieces, where
 * segment i's headers are the super-frame's with byte 20 set to i (so a header written for the wrong segment
 * shows). Not TCP: neither the switch nor the uplink looks past the Ethernet header.
 */
public final class FakeSuperFrame implements SegmentedFrame {

    private final int headerLength;
    private final int mss;
    private final int payloadLength;
    private final UnsafeBuffer frame;

    /**
     * @param headers the headers of every segment (at least 21 bytes), e.g. an Ethernet header and more
     * @param mss payload bytes per segment
     * @param payloadLength payload bytes in all (patterned)
     * @param direct whether the frame lies in native memory (else on the heap)
     */
    public FakeSuperFrame(byte[] headers, int mss, int payloadLength, boolean direct) {
        this.headerLength = headers.length;
        this.mss = mss;
        this.payloadLength = payloadLength;
        int length = headerLength + payloadLength;
        this.frame = direct ? new UnsafeBuffer(ByteBuffer.allocateDirect(length)) : new UnsafeBuffer(new byte[length]);
        frame.putBytes(0, headers);
        for (int i = 0; i < payloadLength; i++) {
            frame.putByte(headerLength + i, (byte) (i * 31 + 5));
        }
    }

    /** Segment {@code index} as it must arrive. */
    public byte[] expected(int index) {
        byte[] segment = new byte[segmentLength(index)];
        writeSegment(index, new UnsafeBuffer(segment), 0);
        return segment;
    }

    @Override
    public MutableDirectBuffer buffer() {
        return frame;
    }

    @Override
    public int offset() {
        return 0;
    }

    @Override
    public int length() {
        return frame.capacity();
    }

    @Override
    public int segments() {
        return (payloadLength + mss - 1) / mss;
    }

    @Override
    public int segmentLength(int index) {
        return headerLength + Math.min(mss, payloadLength - index * mss);
    }

    @Override
    public int writeSegment(int index, MutableDirectBuffer out, int at) {
        int headers = writeHeaders(index, out, at);
        int payload = segmentLength(index) - headers;
        out.putBytes(at + headers, frame, headerLength + index * mss, payload);
        return headers + payload;
    }

    @Override
    public int writeHeaders(int index, MutableDirectBuffer out, int at) {
        out.putBytes(at, frame, 0, headerLength);
        out.putByte(at + 20, (byte) index);
        return headerLength;
    }

    @Override
    public long payloadAddress(int index) {
        return frame.byteArray() == null ? frame.addressOffset() + headerLength + index * mss : 0;
    }
}
