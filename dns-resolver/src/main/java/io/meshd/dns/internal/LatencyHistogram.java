package io.meshd.dns.internal;

/**
 * Fixed latency buckets in the spirit of HdrHistogram: powers of two of nanoseconds split into four sub-buckets
 * (about 19% precision). {@link #index} maps a value to its bucket so recorders can count with one increment and no
 * allocation; an instance is a snapshot of bucket counts for reading.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 2;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    /** Number of buckets. */
    public static final int BUCKETS = (64 - SUB_BITS) * SUB_COUNT;

    private final long[] counts;

    private LatencyHistogram(long[] counts) {
        this.counts = counts;
    }

    /** A snapshot over {@link #BUCKETS} bucket counts (copied). */
    public static LatencyHistogram of(long[] bucketCounts) {
        if (bucketCounts.length != BUCKETS) {
            throw new IllegalArgumentException("expected " + BUCKETS + " buckets");
        }
        return new LatencyHistogram(bucketCounts.clone());
    }

    /** The bucket of a value in nanoseconds (negative values count as 0). */
    public static int index(long nanos) {
        long v = Math.max(0, nanos);
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
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Number of recorded values below {@code nanos}, exact when {@code nanos} is a power of two. */
    public long countBelow(long nanos) {
        int end = index(nanos);
        long n = 0;
        for (int i = 0; i < end; i++) {
            n += counts[i];
        }
        return n;
    }

    /** The value at quantile {@code q} (0..1), as the lower bound of its bucket; 0 when empty. */
    public long valueAtQuantile(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return lowerBound(i);
            }
        }
        return lowerBound(BUCKETS - 1);
    }
}
