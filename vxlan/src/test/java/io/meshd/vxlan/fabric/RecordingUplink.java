package io.meshd.vxlan.fabric;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory uplink that keeps a copy of every frame sent through it, with its VNI and VTEP.
 */
final class RecordingUplink implements Uplink {
    private final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
        byte[] copy = new byte[length];
        frame.getBytes(offset, copy);
        sent.add(new Sent(vni, to, copy));
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
