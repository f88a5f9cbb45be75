package io.meshd.dns.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-bucket latency histogram in the spirit of HdrHistogram: buckets are powers of two of nanoseconds split
 * into four sub-buckets (about 19% precision), recorded with one atomic increment and no allocation.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 2;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    private static final int BUCKETS = (64 - SUB_BITS) * SUB_COUNT;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one latency. */
    public void record(long nanos) {
        counts.getAndIncrement(index(Math.max(0, nanos)));
    }

    static int index(long v) {
        if (v < SUB_COUNT) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (msb - SUB_BITS)) & (SUB_COUNT - 1);
        return (msb - SUB_BITS + 1) * SUB_COUNT + sub;
    }

    /** The smallest value that lands in bucket {@code index}. */
    static long lowerBound(int index) {
        if (index < SUB_COUNT) {
            return index;
        }
        int msb = index / SUB_COUNT + SUB_BITS - 1;
        long sub = index % SUB_COUNT;
        return (1L << msb) | (sub << (msb - SUB_BITS));
    }

    /** Number of recorded values. */
    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The value at quantile {@code q} (0..1), as the lower bound of its bucket; 0 when empty. */
    public long valueAtQuantile(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                return lowerBound(i);
            }
        }
        return lowerBound(BUCKETS - 1);
    }
}
