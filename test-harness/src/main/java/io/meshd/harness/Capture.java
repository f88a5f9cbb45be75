package io.meshd.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;

/**
 * A Pcap4J capture on an interface inside a lab host. The capture thread enters the host's namespace before it
 * opens the pcap handle, so the interface is looked up there. {@link Builder#start()} returns once the handle
 * is live: a frame sent after that is seen. Frames are kept in memory for assertions ({@link #await}) and can
 * be written as a {@code .pcap} file that tshark reads.
 */
public final class Capture implements AutoCloseable {

    private static final int POLL_MILLIS = 50;

    private final LabHost host;
    private final String iface;
    private final String filter;
    private final int snapLength;
    private final List<CapturedFrame> frames = new ArrayList<>();
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private volatile boolean running = true;
    private Thread thread;
    private Throwable failure;

    private Capture(LabHost host, String iface, String filter, int snapLength) {
        this.host = host;
        this.iface = iface;
        this.filter = filter;
        this.snapLength = snapLength;
    }

    static Builder builder(LabHost host, String iface) {
        return new Builder(host, iface);
    }

    /** The interface captured on. */
    public String iface() {
        return iface;
    }

    /** A snapshot of the frames captured so far, in arrival order. */
    public synchronized List<CapturedFrame> frames() {
        return List.copyOf(frames);
    }

    /** How many captured frames match. */
    public synchronized int count(Predicate<CapturedFrame> matching) {
        int n = 0;
        for (CapturedFrame frame : frames) {
            if (matching.test(frame)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Waits until a frame matching the predicate has been captured and returns the first such frame.
     *
     * @throws AssertionError after the timeout, listing what was captured
     */
    public CapturedFrame await(Predicate<CapturedFrame> matching, Duration timeout) {
        return awaitCount(matching, 1, timeout).get(0);
    }

    /** Waits until {@code count} matching frames have been captured and returns them. */
    public synchronized List<CapturedFrame> awaitCount(Predicate<CapturedFrame> matching, int count,
                                                       Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<CapturedFrame> found = new ArrayList<>();
            for (CapturedFrame frame : frames) {
                if (matching.test(frame)) {
                    found.add(frame);
                }
            }
            if (found.size() >= count) {
                return found.subList(0, count);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || failure != null) {
                throw new AssertionError("expected " + count + " matching frame(s) on " + iface + " in "
                    + host.shortName() + " within " + timeout + ", saw " + found.size() + " of " + frames.size()
                    + " captured: " + frames, failure);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for frames", e);
            }
        }
    }

    /** Writes the frames captured so far as a libpcap file. */
    public void writePcap(Path file) {
        try {
            PcapWriter.write(file, dataLinkType(), snapLength, frames());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pcap link-layer type of the interface (1 for Ethernet). */
    public int dataLinkType() {
        return ready.join();
    }

    /** Stops capturing (within about 50 ms) and closes the handle; the frames stay available. Idempotent. */
    @Override
    public void close() {
        running = false;
        Thread current = thread;
        if (current != null && current != Thread.currentThread()) {
            try {
                current.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void start() {
        PcapLibrary.configure();
        thread = host.netns().threadFactory().newThread(this::loop);
        thread.start();
        try {
            ready.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot capture on " + iface + " in " + host.name() + ": "
                + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            close();
            throw new IllegalStateException("capture on " + iface + " in " + host.name() + " did not start", e);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted starting a capture", e);
        }
    }

    private void loop() {
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(iface).snaplen(snapLength)
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.PROMISCUOUS).timeoutMillis(POLL_MILLIS)
                .immediateMode(true).build();
            if (!filter.isEmpty()) {
                handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            }
        } catch (Exception | LinkageError e) {
            // LinkageError: libpcap itself could not be loaded, which the test must hear about, not a log.
            running = false;
            ready.completeExceptionally(e);
            return;
        }
        try {
            ready.complete(handle.getDlt().value());
            while (running) {
                byte[] raw = handle.getNextRawPacket();
                if (raw != null) {
                    Timestamp timestamp = handle.getTimestamp();
                    Integer original = handle.getOriginalLength();
                    add(new CapturedFrame(timestamp == null ? Instant.now() : timestamp.toInstant(), raw,
                        original == null ? raw.length : original));
                }
            }
        } catch (Exception e) {
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        } finally {
            handle.close();
        }
    }

    private synchronized void add(CapturedFrame frame) {
        frames.add(frame);
        notifyAll();
    }

    /** Options of a capture; {@link #start()} begins it. */
    public static final class Builder {

        private final LabHost host;
        private final String iface;
        private String filter = "";
        private int snapLength = 65535;

        private Builder(LabHost host, String iface) {
            this.host = host;
            this.iface = iface;
        }

        /** A BPF filter in tcpdump syntax, e.g. {@code "udp port 4789"}; none captures everything. */
        public Builder filter(String bpf) {
            this.filter = bpf;
            return this;
        }

        /** Bytes kept of each frame; 65535 unless set. */
        public Builder snapLength(int bytes) {
            this.snapLength = bytes;
            return this;
        }

        /** Opens the handle inside the host's namespace and starts capturing; the lab closes it at the end. */
        public Capture start() {
            Capture capture = new Capture(host, iface, filter, snapLength);
            capture.start();
            return host.lab().track(capture);
        }
    }
}
