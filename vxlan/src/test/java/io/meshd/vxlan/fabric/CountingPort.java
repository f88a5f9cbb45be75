package io.meshd.vxlan.fabric;

import org.agrona.DirectBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A local port and uplink that only count frames, allocation-free; it also sums a byte and the length of each
 * frame, so that a benchmark returning {@link #sink()} keeps the JIT from dropping the work. Shared by the tests and
 * the JMH benchmarks (through this module's test jar).
 *
 * <p>{@link #CountingPort(int)} is for one thread (plain fields: nothing added to what a benchmark measures);
 * {@link #shared(int)} counts exactly from any number of threads, at the cost of an atomic increment per frame.
 */
public final class CountingPort implements LocalPort, Uplink {
    private final int id;
    private final AtomicLong shared;
    private long frames;
    /** A sink for the JIT only: racy when shared. */
    private long bytes;

    /**
     * A port for one thread.
     *
     * @param id its port id
     */
    public CountingPort(int id) {
        this(id, null);
    }

    private CountingPort(int id, AtomicLong shared) {
        this.id = id;
        this.shared = shared;
    }

    /**
     * A port that any number of threads may deliver to.
     *
     * @param id its port id
     * @return the port
     */
    public static CountingPort shared(int id) {
        return new CountingPort(id, new AtomicLong());
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public void deliver(DirectBuffer frame, int offset, int length) {
        count(frame.getByte(offset) + length);
    }

    @Override
    public void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
        count(frame.getByte(offset) + length + vni + to.port());
    }

    private void count(long work) {
        if (shared != null) {
            shared.incrementAndGet();
        } else {
            frames++;
        }
        bytes += work;
    }

    /**
     * Frames delivered or sent so far.
     *
     * @return the count
     */
    public long count() {
        return shared != null ? shared.get() : frames;
    }

    /**
     * Something that depends on every frame counted, for a benchmark to return.
     *
     * @return the count plus the bytes summed
     */
    public long sink() {
        return count() + bytes;
    }
}
