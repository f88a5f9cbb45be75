package io.meshd.vxlan.testing;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Measures what a piece of code allocates, with the JVM's per-thread allocation counter. */
public final class Allocations {
    /** Batches measured by {@link #assertAllocatesNothing}. */
    public static final int BATCHES = 20;
    /** Of those, how many must allocate exactly nothing. */
    static final int ZERO_BATCHES = 10;
    /**
     * The most one batch may allocate: JIT noise, not the code under test. Under the interpreter alone
     * ({@code -Xint}) every batch of the packet path allocates exactly 0 bytes; with the JIT on, a batch now and
     * then shows 72 to 600 bytes, in the batches where the JIT log ({@code -Xlog:jit+compilation=debug}) shows a
     * method of the measured path (or the test's own lambdas) being compiled or replaced; it is gone once the
     * compilations settle. A batch is tens of thousands of packets and the smallest object is 16 bytes, so one
     * allocation per packet would be hundreds of kilobytes per batch, over a thousand times this bound; and code that
     * allocates regularly, however rarely, shows in every batch, while most batches must be exactly 0.
     */
    static final long NOISE_BYTES_PER_BATCH = 1024;

    private Allocations() {
    }

    /**
     * The bytes the current thread allocated while running {@code work} once.
     *
     * @param work what to measure (warm it up first)
     * @return bytes allocated
     */
    public static long bytesAllocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * Asserts that a warmed-up batch of packets allocates exactly nothing: of {@value #BATCHES} batches at least
     * {@value #ZERO_BATCHES} allocate 0 bytes, and none more than {@value #NOISE_BYTES_PER_BATCH} bytes of JIT noise
     * (see {@link #NOISE_BYTES_PER_BATCH} for why that is far below one allocation per packet).
     *
     * @param batch one batch of packets (warm it up first)
     * @param packets how many packets one batch handles, for the message
     */
    public static void assertAllocatesNothing(Runnable batch, long packets) {
        long[] bytes = new long[BATCHES];
        for (int i = 0; i < BATCHES; i++) {
            bytes[i] = bytesAllocatedBy(batch);
        }
        long zero = Arrays.stream(bytes).filter(b -> b == 0).count();
        long most = Arrays.stream(bytes).max().orElseThrow();
        String message = "bytes allocated by each batch of " + packets + " packets: " + Arrays.toString(bytes);
        assertTrue(zero >= ZERO_BATCHES, message);
        assertTrue(most <= NOISE_BYTES_PER_BATCH, message);
    }
}
