package io.meshd.lb;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * One backend's walk through the table: slot {@code (offset + j * skip) mod M} for j = 0, 1, 2, … (Maglev, NSDI 2016,
 * section 3.4). Offset and skip come from two independent 64-bit halves of a seeded MurmurHash3 of the backend's
 * identity, so every node computes the same walk; since M is prime and 1 ≤ skip &lt; M, the walk visits every slot.
 */
final class MaglevPermutation {
    /** Fixed for the format: changing it reshuffles every table in a cluster, so nodes must agree on it. */
    static final int SEED = 0x6D61_676C;

    private MaglevPermutation() {
    }

    /**
     * Where each backend's walk starts and how far it steps, as two arrays the table build walks in place.
     *
     * @param ids the backends' identities
     * @param size M, a prime
     * @param offsets receives each walk's first slot
     * @param skips receives each walk's step, 1 to M - 1
     */
    static void walks(String[] ids, int size, int[] offsets, int[] skips) {
        for (int i = 0; i < ids.length; i++) {
            byte[] bytes = ids[i].getBytes(StandardCharsets.UTF_8);
            long[] hash = MurmurHash3.hash128x64(bytes, 0, bytes.length, SEED);
            offsets[i] = (int) Long.remainderUnsigned(hash[0], size);
            skips[i] = (int) Long.remainderUnsigned(hash[1], size - 1) + 1;
        }
    }
}
