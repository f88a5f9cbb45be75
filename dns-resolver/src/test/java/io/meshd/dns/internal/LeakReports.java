package io.meshd.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects what Netty's leak detector reports (surefire runs it at the paranoid level: every buffer is tracked), so
 * a test can fail on a leak instead of leaving a log line nobody reads.
 */
final class LeakReports {

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    static {
        try {
            Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
            field.setAccessible(true);
            ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
            detector.setLeakListener((resourceType, records) -> REPORTS.add(resourceType + records));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LeakReports() {
    }

    /** Starts listening (idempotent). */
    static void install() {
        // The static initialiser does the work.
    }

    /** Whether the detector tracks every buffer (the surefire configuration). */
    static boolean paranoid() {
        return ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID;
    }

    /**
     * Lets the collector find unreleased buffers and the detector report them (it reports when it tracks the next
     * buffer), then fails if anything was reported.
     */
    static void assertNone() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 64; i++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
            }
        }
        assertEquals(List.of(), List.copyOf(REPORTS), "Netty's leak detector reported leaks");
    }
}
