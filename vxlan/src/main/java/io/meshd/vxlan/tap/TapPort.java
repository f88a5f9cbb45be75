package io.meshd.vxlan.tap;

import io.meshd.shims.IoVectors;
import io.meshd.shims.NativeException;
import io.meshd.shims.Tap;
import io.meshd.packet.FlowHash;
import io.meshd.net.metrics.ThrottledLog;
import io.meshd.vxlan.fabric.LocalPort;
import io.meshd.vxlan.fabric.SwitchFabric;
import java.nio.ByteBuffer;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A switch port backed by a TAP device in a container's namespace. Its queues' non-blocking descriptors are read by
 * the node's {@link TapPollers} (a few epoll threads shared by every TAP, no thread of its own): when a queue is
 * readable, its poller reads frames into the poller's buffer and feeds each to {@link SwitchFabric#fromLocal} (run
 * to completion: encapsulation and the UDP send happen on that thread); {@link #deliver} writes frames from the
 * switch to the TAP, zero-copy from direct buffers.
 *
 * <p>With offloads (a TAP opened with {@code IFF_VNET_HDR} and TSO), the kernel hands over TCP super-frames of up
 * to 64 KiB with their checksums left to us: one read instead of up to 44. The poller segments them in software
 * (what a NIC would do) and completes partial checksums of plain frames.
 * Stopping: the attacher takes each queue out of its poller, then closes the descriptors; nothing waits for a read.
 *
 * <p>The queues of a multi-queue TAP go to different pollers where there are several, so flows the kernel steers
 * to different queues are switched on different cores. Deliveries pick a queue by the frame's
 * {@link FlowHash#bucket flow hash}: the kernel remembers the queue a flow was last written on and steers that
 * flow's outgoing frames to the same queue (it keys this by a hash symmetric in source and destination, so our hash
 * need not be).
 */
public final class TapPort implements LocalPort, CoalescedWriter {

    private static final Logger LOG = LoggerFactory.getLogger(TapPort.class);
    /** Room for the largest frame a TAP hands out (64 KiB with segmentation offloads). */
    private static final int READ_BUFFER_BYTES = TapPollers.READ_BUFFER_BYTES;
    private static final ThreadLocal<TcpCoalescer> COALESCER = ThreadLocal.withInitial(TcpCoalescer::new);
    /**
     * Brackets the frames one receive burst (e.g. a UDP GRO batch) delivers on this thread: TCP segments for a
     * port with offloads are merged into super-frames meanwhile and written at the end.
     */
    private static final ReadBurst RECEIVE_BURST = new ReadBurst() {
        @Override
        public void begin() {
            COALESCER.get().begin();
        }

        @Override
        public void end() {
            COALESCER.get().end();
        }

        @Override
        public boolean pending() {
            return COALESCER.get().pending();
        }
    };
    /** A view of a coalesced frame in native memory, to find its flow's queue. */
    private static final ThreadLocal<UnsafeBuffer> COALESCED_VIEW = ThreadLocal.withInitial(UnsafeBuffer::new);
    private static final ThreadLocal<UnsafeBuffer> DELIVER_COPY =
        ThreadLocal.withInitial(() -> new UnsafeBuffer(ByteBuffer.allocateDirect(READ_BUFFER_BYTES)));

    private final int id;
    private final int vni;
    private final Attachment attachment;
    /** The TAP's queues (non-blocking), at least one; each is read by one poller. */
    private final Tap[] queues;
    private final SwitchFabric fabric;
    /** Brackets the reads of one poll of a queue, so the uplink may batch the sends they cause. */
    private final ReadBurst burst;
    private final PortCounters counters;
    /** Bytes of virtio-net header before each frame: 0, or 10 with offloads (TSO in, checksums left to us). */
    private final int vnetHeader;
    /** Each queue's place on a poller, set by {@link #start}. */
    private final TapPollers.Registration[] registrations;
    private volatile boolean running = true;
    /** Unexpected failures: each counted, logged at most once per interval. */
    private final ThrottledLog errorLog = ThrottledLog.of(LOG);

    TapPort(int id, int vni, Attachment attachment, List<Tap> queues, SwitchFabric fabric, ReadBurst burst) {
        this.id = id;
        this.vni = vni;
        this.attachment = attachment;
        this.queues = queues.toArray(new Tap[0]);
        this.fabric = fabric;
        this.vnetHeader = this.queues[0].vnetHeaderSize();
        this.burst = burst;
        this.counters = new PortCounters(this.queues.length);
        this.registrations = new TapPollers.Registration[this.queues.length];
    }

    /** Registers every queue on the pollers; on failure, what was registered is taken out again. */
    void start(TapPollers pollers) {
        try {
            for (int q = 0; q < queues.length; q++) {
                registrations[q] = pollers.register(this, q, queues[q]);
            }
        } catch (RuntimeException e) {
            for (TapPollers.Registration r : registrations) {
                if (r != null) {
                    r.close();
                }
            }
            throw e;
        }
    }

    /** How many queues the TAP has, each registered on a poller. */
    public int queueCount() {
        return queues.length;
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

    /** What the uplink's receive path brackets its bursts with, so deliveries to offloading TAPs coalesce. */
    public static ReadBurst receiveBurst() {
        return RECEIVE_BURST;
    }

    /** Writes one frame to the container; never retains the buffer, never throws. */
    @Override
    public void deliver(DirectBuffer frame, int offset, int length) {
        if (vnetHeader > 0) {
            TcpCoalescer coalescer = COALESCER.get();
            if (coalescer.active() && coalescer.offer(this, frame, offset, length)) {
                return;
            }
        }
        long address;
        if (frame.byteArray() == null && vnetHeader == 0) {
            address = frame.addressOffset() + offset;
        } else {
            // A virtio-net header must precede the frame (or the frame is heap-backed): one copy behind it.
            UnsafeBuffer copy = DELIVER_COPY.get();
            if (vnetHeader > 0) {
                VirtioNetHeader.writeNone(copy, 0);
            }
            copy.putBytes(vnetHeader, frame, offset, length);
            address = copy.addressOffset();
        }
        Tap tap = queues.length == 1 ? queues[0] : queues[FlowHash.bucket(frame, offset, length, queues.length)];
        try {
            if (tap.write(address, vnetHeader + length) > 0) {
                counters.written(length);
            } else {
                counters.writeDropped();
            }
        } catch (NativeException | IllegalStateException e) {
            // The interface is going away (detach, or its namespace was deleted).
            counters.writeDropped();
        }
    }

    /** Writes a frame the coalescer built (virtio-net header included), counting the segments it holds. */
    @Override
    public void writeCoalesced(IoVectors frame, int segments) {
        Tap tap = queues[0];
        if (queues.length > 1) {
            // The first piece holds the virtio-net header and the frame's headers: enough for the flow's queue.
            UnsafeBuffer view = COALESCED_VIEW.get();
            view.wrap(frame.base(0), frame.length(0));
            tap = queues[FlowHash.bucket(view, vnetHeader, frame.length(0) - vnetHeader, queues.length)];
        }
        try {
            int written = tap.writev(frame.address(), frame.count());
            if (written > 0) {
                counters.written(written - vnetHeader, segments);
            } else {
                counters.writeDropped();
            }
        } catch (NativeException | IllegalStateException e) {
            counters.writeDropped();
        }
    }

    /**
     * Reads queue {@code q} on its poller's thread until {@code EAGAIN} or {@link TapPollers#READ_BUDGET} frames,
     * into the poller's buffer, switching each frame (run to completion: encapsulation and the UDP send happen on
     * this thread). The frames of one call are one {@link ReadBurst}, so the uplink may batch the sends they cause;
     * the segments of a super-frame may be gathered from the read buffer, so they are sent before it is reused.
     *
     * @return false when the queue is to be taken out of epoll: the port stopped, or the TAP failed
     */
    boolean readQueue(TapQueue q) {
        TapPollers.Poller poller = q.poller;
        UnsafeBuffer view = poller.read;
        long address = view.addressOffset();
        Tap tap = q.tap;
        burst.begin();
        try {
            for (int frames = 0; frames < TapPollers.READ_BUDGET; frames++) {
                if (!running) {
                    return false; // a released port: what is queued is not switched
                }
                int n;
                try {
                    n = tap.read(address, READ_BUFFER_BYTES);
                } catch (NativeException | IllegalStateException e) {
                    if (running) {
                        // The interface vanished under us (its namespace was deleted): nothing more will come.
                        counters.error();
                        errorLog.warn("TAP {} failed; its port stops reading", attachment, e);
                    }
                    return false;
                }
                if (n == 0) {
                    return true; // EAGAIN: read empty, epoll reports the next frame
                }
                if (n <= vnetHeader) {
                    continue;
                }
                counters.queueRead(q.queue);
                try {
                    if (vnetHeader == 0) {
                        counters.read(n);
                        fabric.fromLocal(this, view, 0, n);
                    } else if (fromOffloadingTap(view, n, poller.segmenter, poller.segment) && burst.pending()) {
                        // Held-back segments may point into the read buffer: out with them before the next read.
                        burst.end();
                        burst.begin();
                    }
                } catch (RuntimeException e) {
                    counters.error();
                    errorLog.warn("dropping a frame from {} after an unexpected error", attachment, e);
                }
            }
            return true;
        } finally {
            burst.end();
        }
    }

    /**
     * A read from a TAP with offloads: a TSO super-frame is cut into MSS-sized segments, each switched on its own;
     * a plain frame gets its checksum completed if the kernel left it partial.
     *
     * @return whether a super-frame's segments were switched (their payloads may still be referenced by the burst)
     */
    private boolean fromOffloadingTap(UnsafeBuffer view, int n, TcpSegmenter segmenter, UnsafeBuffer segment) {
        int length = n - vnetHeader;
        int gsoType = VirtioNetHeader.gsoType(view, 0);
        if (gsoType == VirtioNetHeader.GSO_TCPV4 || gsoType == VirtioNetHeader.GSO_TCPV6) {
            int count = segmenter.prepare(view, vnetHeader, length, VirtioNetHeader.gsoSize(view, 0));
            if (count < 0) {
                counters.error();
                return false;
            }
            counters.superFrame(count, segmenter.segmentBytes());
            // Decided once for every segment; to a remote VTEP they are built in the uplink's send buffer.
            fabric.fromLocalSegments(this, segmenter, segment);
            return true;
        }
        if (gsoType != VirtioNetHeader.GSO_NONE) {
            // Only TSO is offered to the kernel: anything else is a frame we cannot segment.
            counters.error();
            return false;
        }
        if ((VirtioNetHeader.flags(view, 0) & VirtioNetHeader.FLAG_NEEDS_CSUM) != 0
            && !TcpSegmenter.completeChecksum(view, vnetHeader, length, VirtioNetHeader.csumStart(view, 0),
                VirtioNetHeader.csumOffset(view, 0))) {
            counters.error();
            return false;
        }
        counters.read(length);
        fabric.fromLocal(this, view, vnetHeader, length);
        return false;
    }

    /** Stops switching what its queues read: a poller that sees it takes the queue out of epoll. */
    void stop() {
        running = false;
    }

    /**
     * Takes every queue out of its poller (waiting until no read runs on it), then closes its descriptor. Nothing
     * here waits for the container or the kernel. Idempotent.
     */
    void closeQueues() {
        RuntimeException failure = null;
        for (int q = 0; q < queues.length; q++) {
            TapPollers.Registration r = registrations[q];
            try {
                if (r != null) {
                    r.close();
                }
                queues[q].close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            // A descriptor still in a poller's epoll set is left open rather than closed under a read.
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "TapPort[" + id + ", vni " + vni + ", " + attachment + "]";
    }
}
