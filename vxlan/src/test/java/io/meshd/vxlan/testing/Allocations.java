package io.meshd.vxlan.testing;

import java.lang.management.ManagementFactory;

/** Measures what a piece of code allocates, with the JVM's per-thread allocation counter. */
public final class Allocations {
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
}
