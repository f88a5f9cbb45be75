package io.meshd.vxlan.fabric;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory local port that keeps a copy of every frame delivered to it (shared through the test jar).
 */
public final class RecordingPort implements LocalPort {
    private final int id;
    private final List<byte[]> frames = new ArrayList<>();

    public RecordingPort(int id) {
        this.id = id;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public synchronized void deliver(DirectBuffer frame, int offset, int length) {
        byte[] copy = new byte[length];
        frame.getBytes(offset, copy);
        frames.add(copy);
    }

    public synchronized List<byte[]> frames() {
        return new ArrayList<>(frames);
    }

    public synchronized int count() {
        return frames.size();
    }

    public synchronized void clear() {
        frames.clear();
    }

    @Override
    public String toString() {
        return "port " + id;
    }
}
