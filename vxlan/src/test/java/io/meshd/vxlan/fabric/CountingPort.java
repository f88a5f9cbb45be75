package io.meshd.vxlan.fabric;

import org.agrona.DirectBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe local port and uplink that only count frames, allocation-free.
 */
final class CountingPort implements LocalPort, Uplink {
    private final int id;
    private final AtomicLong frames = new AtomicLong();

    CountingPort(int id) {
        this.id = id;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public void deliver(DirectBuffer frame, int offset, int length) {
        frames.incrementAndGet();
    }

    @Override
    public void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
        frames.incrementAndGet();
    }

    long count() {
        return frames.get();
    }
}
