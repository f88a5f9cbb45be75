package io.meshd.vxlan.fabric;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory uplink that keeps a copy of every frame sent through it, with its VNI and VTEP.
 */
final class RecordingUplink implements Uplink {
    private final List<Sent> sent = new ArrayList<>();
    private int segmentBatches;

    @Override
    public synchronized void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
        byte[] copy = new byte[length];
        frame.getBytes(offset, copy);
        sent.add(new Sent(vni, to, copy));
    }

    /** Records each segment as a frame sent, and counts the call: the switch decided once for all of them. */
    @Override
    public synchronized void sendSegments(int vni, RemoteVtep to, SegmentedFrame frame, MutableDirectBuffer scratch) {
        segmentBatches++;
        Uplink.super.sendSegments(vni, to, frame, scratch);
    }

    synchronized int segmentBatches() {
        return segmentBatches;
    }

    synchronized List<Sent> sent() {
        return new ArrayList<>(sent);
    }

    synchronized void clear() {
        sent.clear();
    }

    /** One frame sent. */
    record Sent(int vni, RemoteVtep to, byte[] frame) {
    }
}
