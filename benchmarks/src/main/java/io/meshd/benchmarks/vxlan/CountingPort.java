package io.meshd.benchmarks.vxlan;

import io.meshd.vxlan.fabric.LocalPort;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.Uplink;
import org.agrona.DirectBuffer;

/**
 * A local port and uplink that count frames and sum their first bytes, so the JIT cannot drop the work.
 */
final class CountingPort implements LocalPort, Uplink {
    private final int id;
    private long frames;
    private long bytes;

    CountingPort(int id) {
        this.id = id;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public void deliver(DirectBuffer frame, int offset, int length) {
        frames++;
        bytes += frame.getByte(offset) + length;
    }

    @Override
    public void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
        frames++;
        bytes += frame.getByte(offset) + length + vni + to.port();
    }

    long frames() {
        return frames + bytes;
    }
}
