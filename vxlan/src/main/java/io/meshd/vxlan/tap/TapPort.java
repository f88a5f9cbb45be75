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
 * A switch port backed by a TAP device in a container's namespace. Its reader thread blocks in {@code read} and
 * feeds each frame to {@link SwitchFabric#fromLocal} (run to completion: encapsulation and the UDP send happen on
 * that thread); {@link #deliver} writes frames from the switch to the TAP, zero-copy from direct buffers.
 *
 * <p>With offloads (a TAP opened with {@code IFF_VNET_HDR} and TSO), the kernel hands over TCP super-frames of up
 * to 64 KiB with their checksums left to us: one read instead of up to 44. The reader segments them in software
 * (what a NIC would do) and completes partial checksums of plain frames.
 * Stopping: the attacher deletes the interface, which wakes the blocked read with an error.
 *
 * <p>A multi-queue TAP has one reader thread per queue, so flows the kernel steers to different queues are
 * switched on different cores. Deliveries pick a queue by the frame's {@link FlowHash#bucket flow hash}: the kernel
 * remembers the queue a flow was last written on and steers that flow's outgoing frames to the same queue (it keys
 * this by a hash symmetric in source and destination, so our hash need not be).
 */
public final class TapPort implements LocalPort, CoalescedWriter {

    private static final Logger LOG = LoggerFactory.getLogger(TapPort.class);
    /** Room for the largest frame a TAP hands out (64 KiB with segmentation offloads). */
    private static final int READ_BUFFER_BYTES = 65536 + 64;
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
    /** The TAP's queues, at least one; each has its own reader. */
    private final Tap[] queues;
    private final SwitchFabric fabric;
    /** Brackets each read, so the uplink may batch the sends it causes. */
    private final ReadBurst burst;
    private final PortCounters counters;
    /** Bytes of virtio-net header before each frame: 0, or 10 with offloads (TSO in, checksums left to us). */
    private final int vnetHeader;
    private final Thread[] readers;
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
        this.readers = new Thread[this.queues.length];
        for (int q = 0; q < readers.length; q++) {
            int queue = q;
            readers[q] = new Thread(() -> readLoop(queue),
                "tap-" + attachment.namespace() + "-" + attachment.interfaceName() + (queue > 0 ? "-q" + queue : ""));
            readers[q].setDaemon(true);
        }
    }

    void start() {
        for (Thread reader : readers) {
            reader.start();
        }
    }

    /** How many queues the TAP has, each with its own reader thread. */
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

    private void readLoop(int queue) {
        Tap tap = queues[queue];
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
        UnsafeBuffer view = new UnsafeBuffer(buffer);
        UnsafeBuffer segment = new UnsafeBuffer(ByteBuffer.allocateDirect(READ_BUFFER_BYTES));
        TcpSegmenter segmenter = new TcpSegmenter();
        long address = view.addressOffset();
        while (running) {
            int n;
            try {
                n = tap.read(address, READ_BUFFER_BYTES);
            } catch (NativeException | IllegalStateException e) {
                if (running) {
                    // The interface vanished under us (its namespace was deleted): nothing more will come.
                    counters.error();
                    errorLog.warn("TAP {} failed; its port stops reading", attachment, e);
                }
                return;
            }
            if (!running) {
                return; // woken to stop (a released port): the frame is not switched
            }
            if (n <= vnetHeader) {
                continue;
            }
            counters.queueRead(queue);
            burst.begin();
            try {
                if (vnetHeader == 0) {
                    counters.read(n);
                    fabric.fromLocal(this, view, 0, n);
                } else {
                    fromOffloadingTap(view, n, segmenter, segment);
                }
            } catch (RuntimeException e) {
                counters.error();
                errorLog.warn("dropping a frame from {} after an unexpected error", attachment, e);
            } finally {
                burst.end();
            }
        }
    }

    /**
     * A read from a TAP with offloads: a TSO super-frame is cut into MSS-sized segments, each switched on its own;
     * a plain frame gets its checksum completed if the kernel left it partial.
     */
    private void fromOffloadingTap(UnsafeBuffer view, int n, TcpSegmenter segmenter, UnsafeBuffer segment) {
        int length = n - vnetHeader;
        int gsoType = VirtioNetHeader.gsoType(view, 0);
        if (gsoType == VirtioNetHeader.GSO_TCPV4 || gsoType == VirtioNetHeader.GSO_TCPV6) {
            int count = segmenter.prepare(view, vnetHeader, length, VirtioNetHeader.gsoSize(view, 0));
            if (count < 0) {
                counters.error();
                return;
            }
            counters.superFrame(count, segmenter.segmentBytes());
            // Decided once for every segment; to a remote VTEP they are built in the uplink's send buffer.
            fabric.fromLocalSegments(this, segmenter, segment);
            return;
        }
        if (gsoType != VirtioNetHeader.GSO_NONE) {
            // Only TSO is offered to the kernel: anything else is a frame we cannot segment.
            counters.error();
            return;
        }
        if ((VirtioNetHeader.flags(view, 0) & VirtioNetHeader.FLAG_NEEDS_CSUM) != 0
            && !TcpSegmenter.completeChecksum(view, vnetHeader, length, VirtioNetHeader.csumStart(view, 0),
                VirtioNetHeader.csumOffset(view, 0))) {
            counters.error();
            return;
        }
        counters.read(length);
        fabric.fromLocal(this, view, vnetHeader, length);
    }

    /**
     * Stops reading; the caller then removes the interface (or {@link #wakeReaders wakes} the readers) so a blocked
     * read returns.
     */
    void stop() {
        running = false;
    }

    /**
     * Wakes readers blocked in {@code read} while the interface stays: writes an ARP probe (RFC 5227, sender
     * address 0.0.0.0, so the kernel learns no neighbor) for the container's own address through queue
     * {@code attempt % queues}, from a made-up MAC that varies with {@code attempt}; the kernel's reply comes out
     * of the TAP. Best effort: a container that took its interface down or removed its address does not answer.
     */
    void wakeReaders(int attempt) {
        UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(vnetHeader + 42));
        int o = vnetHeader; // a zero virtio-net header: no offload
        long sender = 0x02_6d_73_68_00_00L | (attempt & 0xffff); // locally administered, unicast
        for (int i = 0; i < 6; i++) {
            frame.putByte(o + i, (byte) 0xff);
            frame.putByte(o + 6 + i, (byte) (sender >>> (40 - 8 * i)));
            frame.putByte(o + 22 + i, (byte) (sender >>> (40 - 8 * i)));
        }
        frame.putShort(o + 12, (short) 0x0806, java.nio.ByteOrder.BIG_ENDIAN);
        frame.putShort(o + 14, (short) 1, java.nio.ByteOrder.BIG_ENDIAN); // Ethernet
        frame.putShort(o + 16, (short) 0x0800, java.nio.ByteOrder.BIG_ENDIAN); // IPv4
        frame.putByte(o + 18, (byte) 6);
        frame.putByte(o + 19, (byte) 4);
        frame.putShort(o + 20, (short) 1, java.nio.ByteOrder.BIG_ENDIAN); // request
        frame.putInt(o + 38, attachment.ipv4(), java.nio.ByteOrder.BIG_ENDIAN); // sender IP 0, target: itself
        try {
            queues[attempt % queues.length].write(frame.addressOffset(), frame.capacity());
        } catch (NativeException | IllegalStateException e) {
            // gone already: nothing to wake
        }
    }

    /** Waits for the reader to finish, up to {@code millis}; true if it has. */
    boolean awaitReader(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (Thread reader : readers) {
            reader.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (reader.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** Closes every queue's descriptor. */
    void closeQueues() {
        for (Tap tap : queues) {
            tap.close();
        }
    }

    @Override
    public String toString() {
        return "TapPort[" + id + ", vni " + vni + ", " + attachment + "]";
    }
}
