package io.meshd.vxlan.tap;

import io.meshd.shims.NativeException;
import io.meshd.shims.Tap;
import io.meshd.vxlan.fabric.LocalPort;
import io.meshd.vxlan.fabric.SwitchFabric;
import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A switch port backed by a TAP device in a container's namespace. Its reader thread blocks in {@code read} and
 * feeds each frame to {@link SwitchFabric#fromLocal} (run to completion: encapsulation and the UDP send happen on
 * that thread); {@link #deliver} writes frames from the switch to the TAP, zero-copy from direct buffers.
 * Stopping: the attacher deletes the interface, which wakes the blocked read with an error.
 */
public final class TapPort implements LocalPort {

    private static final Logger LOG = LoggerFactory.getLogger(TapPort.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    /** Room for the largest frame a TAP hands out (64 KiB with segmentation offloads). */
    private static final int READ_BUFFER_BYTES = 65536 + 64;
    private static final ThreadLocal<UnsafeBuffer> DELIVER_COPY =
        ThreadLocal.withInitial(() -> new UnsafeBuffer(ByteBuffer.allocateDirect(READ_BUFFER_BYTES)));

    private final int id;
    private final int vni;
    private final Attachment attachment;
    private final Tap tap;
    private final SwitchFabric fabric;
    private final PortCounters counters = new PortCounters();
    private final Thread reader;
    private volatile boolean running = true;
    private long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    TapPort(int id, int vni, Attachment attachment, Tap tap, SwitchFabric fabric) {
        this.id = id;
        this.vni = vni;
        this.attachment = attachment;
        this.tap = tap;
        this.fabric = fabric;
        this.reader = new Thread(this::readLoop, "tap-" + attachment.namespace() + "-" + attachment.interfaceName());
        this.reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    @Override
    public int id() {
        return id;
    }

    /** The network this port belongs to. */
    public int vni() {
        return vni;
    }

    /** What was attached. */
    public Attachment attachment() {
        return attachment;
    }

    /** Frame counters. */
    public PortCounters counters() {
        return counters;
    }

    /** Writes one frame to the container; never retains the buffer, never throws. */
    @Override
    public void deliver(DirectBuffer frame, int offset, int length) {
        long address;
        if (frame.byteArray() == null) {
            address = frame.addressOffset() + offset;
        } else {
            // Heap-backed frames (rare: built by the switch itself) go through a per-thread direct copy.
            UnsafeBuffer copy = DELIVER_COPY.get();
            copy.putBytes(0, frame, offset, length);
            address = copy.addressOffset();
        }
        try {
            if (tap.write(address, length) > 0) {
                counters.written(length);
            } else {
                counters.writeDropped();
            }
        } catch (NativeException | IllegalStateException e) {
            // The interface is going away (detach, or its namespace was deleted).
            counters.writeDropped();
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
        UnsafeBuffer view = new UnsafeBuffer(buffer);
        long address = view.addressOffset();
        while (running) {
            int n;
            try {
                n = tap.read(address, READ_BUFFER_BYTES);
            } catch (NativeException | IllegalStateException e) {
                if (running) {
                    // The interface vanished under us (its namespace was deleted): nothing more will come.
                    counters.error();
                    logOnce("TAP " + attachment + " failed; its port stops reading", e);
                }
                return;
            }
            if (n <= 0) {
                continue;
            }
            counters.read(n);
            try {
                fabric.fromLocal(this, view, 0, n);
            } catch (RuntimeException e) {
                counters.error();
                logOnce("dropping a frame from " + attachment + " after an unexpected error", e);
            }
        }
    }

    /** Stops reading; the caller then removes the interface so a blocked read returns. */
    void stop() {
        running = false;
    }

    /** Waits for the reader to finish, up to {@code millis}; true if it has. */
    boolean awaitReader(long millis) throws InterruptedException {
        reader.join(millis);
        return !reader.isAlive();
    }

    Tap tap() {
        return tap;
    }

    private void logOnce(String message, Throwable e) {
        long now = System.nanoTime();
        if (now - lastLogNanos >= LOG_INTERVAL_NANOS) {
            lastLogNanos = now;
            LOG.warn(message, e);
        }
    }

    @Override
    public String toString() {
        return "TapPort[" + id + ", vni " + vni + ", " + attachment + "]";
    }
}
