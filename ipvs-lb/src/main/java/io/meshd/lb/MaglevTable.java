package io.meshd.lb;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A Maglev lookup table (Eisenbud et al., NSDI 2016): a prime number M of slots, each naming the backend that new
 * flows hashing to it go to. Immutable: a change of the backend set builds a new table off the packet path, and the
 * user swaps the reference atomically.
 *
 * <p>The rules that make every node build the identical table: backends are ordered by identity before the build,
 * each backend's walk through the slots comes from seeded hashes of its identity ({@link MaglevPermutation}), and
 * M is the same everywhere. Backends take turns claiming the next free slot of their walk; a backend of weight w
 * takes a turn in proportion to w (weights 1:2 at M = 65537 give 21,846 and 43,691 slots); weight 0 takes none.
 * With equal weights every backend gets ⌊M/N⌋ or ⌈M/N⌉ slots, and removing one of N moves little more than the
 * 1/N of slots it held (measured in {@code MaglevTableTest}).
 *
 * <p>Slots take two bytes each ({@code char}, the backend's index + 1, 0 for none) while there are fewer than
 * 65,535 backends, four ({@code int}) beyond: 128 KiB for the default M = 65537 instead of 256 KiB.
 *
 * <p>{@link #lookup(long)} is allocation-free and safe from any thread.
 */
public final class MaglevTable {
    /** The default table size: prime, and ≥ 100 slots per backend up to 655 backends. */
    public static final int DEFAULT_SIZE = 65_537;
    /** The largest table accepted (a prime; 2 MiB of slots, 4 MiB with 65,535 backends or more). */
    public static final int MAX_SIZE = 1_048_573;
    /** What {@link #lookup} returns when no backend takes new flows. */
    public static final int NO_BACKEND = -1;
    /**
     * The sizes {@link #ladderSize} chooses from: primes, each about twice the one before, from a floor of 1021
     * (room for weights) to {@link #DEFAULT_SIZE}.
     */
    private static final int[] LADDER = {1021, 2039, 4093, 8191, 16_381, 32_749, DEFAULT_SIZE};
    /** Below this many backends the slots are chars holding index + 1 (0 for {@link #NO_BACKEND}). */
    private static final int CHAR_SLOTS_BELOW = Character.MAX_VALUE;

    private final List<Backend> backends;
    private final int size;
    /** index + 1 per slot when there are fewer than {@link #CHAR_SLOTS_BELOW} backends, else null. */
    private final char[] narrow;
    /** The index per slot otherwise, else null. */
    private final int[] wide;

    private MaglevTable(List<Backend> backends, int[] slots) {
        this.backends = backends;
        this.size = slots.length;
        if (backends.size() < CHAR_SLOTS_BELOW) {
            char[] n = new char[slots.length];
            for (int i = 0; i < n.length; i++) {
                n[i] = (char) (slots[i] + 1);
            }
            this.narrow = n;
            this.wide = null;
        } else {
            this.narrow = null;
            this.wide = slots;
        }
    }

    /**
     * Builds a table.
     *
     * @param backends the backends, in any order, with distinct identities
     * @param size M, a prime greater than the number of backends and at most {@link #MAX_SIZE}
     * @return the table
     * @throws IllegalArgumentException for a size that is not such a prime, or two backends with one identity
     */
    public static MaglevTable build(Collection<Backend> backends, int size) {
        checkSize(size, backends.size());
        List<Backend> sorted = new ArrayList<>(backends);
        sorted.sort(Comparator.comparing(Backend::id));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
                throw new IllegalArgumentException("two backends with id " + sorted.get(i).id());
            }
        }
        return new MaglevTable(List.copyOf(sorted), fill(sorted, size));
    }

    /**
     * The smallest size this class recommends for {@code backends} backends: a prime with at least 100 slots per
     * backend (so a removal moves close to the optimal 1/N), and never below {@link #DEFAULT_SIZE}.
     *
     * @param backends how many backends
     * @return a prime size, capped at {@link #MAX_SIZE}
     */
    public static int recommendedSize(int backends) {
        long wanted = Math.max(DEFAULT_SIZE, 100L * backends);
        if (wanted >= MAX_SIZE) {
            return MAX_SIZE;
        }
        return BigInteger.valueOf(wanted - 1).nextProbablePrime().intValueExact();
    }

    /**
     * The table size the mesh gives a service of {@code backends} backends, so that every node, counting the same
     * backends from the same gossip state, builds the same table: the smallest of the primes 1021, 2039, 4093, 8191,
     * 16381, 32749 and 65537 that is at least 100 × {@code backends} (so a removal moves close to the optimal 1/N of
     * flows), and 65537 beyond 655 backends. A service whose count crosses a rung gets a table of another size, in
     * which most slots change owner: flows pinned on a node keep their backend, new and unpinned flows are spread
     * anew.
     *
     * @param backends how many backends (draining and unhealthy ones included), at least 0
     * @return a prime from the ladder
     */
    public static int ladderSize(int backends) {
        if (backends < 0) {
            throw new IllegalArgumentException("backends " + backends);
        }
        long wanted = 100L * backends;
        for (int rung : LADDER) {
            if (rung >= wanted) {
                return rung;
            }
        }
        return DEFAULT_SIZE;
    }

    private static void checkSize(int size, int backends) {
        if (size < 2 || size > MAX_SIZE || !BigInteger.valueOf(size).isProbablePrime(64)) {
            throw new IllegalArgumentException("table size must be a prime from 2 to " + MAX_SIZE + ": " + size);
        }
        if (size <= backends) {
            throw new IllegalArgumentException("table size " + size + " must exceed the " + backends + " backends");
        }
    }

    /** Backends take turns; one of weight w takes its turn in w of every maxWeight rounds. */
    private static int[] fill(List<Backend> sorted, int size) {
        int[] slots = new int[size];
        Arrays.fill(slots, NO_BACKEND);
        int n = sorted.size();
        String[] ids = new String[n];
        int[] weights = new int[n];
        long maxWeight = 0;
        for (int i = 0; i < n; i++) {
            ids[i] = sorted.get(i).id();
            weights[i] = sorted.get(i).weight();
            maxWeight = Math.max(maxWeight, weights[i]);
        }
        if (maxWeight == 0) {
            return slots;
        }
        int[] position = new int[n];
        int[] skip = new int[n];
        MaglevPermutation.walks(ids, size, position, skip);
        long[] credit = new long[n];
        int filled = 0;
        for (long round = 1; filled < size; round++) {
            for (int i = 0; i < n && filled < size; i++) {
                if (weights[i] == 0 || round * weights[i] < credit[i]) {
                    continue;
                }
                credit[i] += maxWeight;
                int p = position[i];
                while (slots[p] != NO_BACKEND) {
                    p += skip[i];
                    p = p >= size ? p - size : p;
                }
                slots[p] = i;
                position[i] = p;
                filled++;
            }
        }
        return slots;
    }

    /**
     * The backend for a new flow.
     *
     * @param flowHash a hash of the flow that every node computes alike (all 64 bits used)
     * @return an index into {@link #backends()}, or {@link #NO_BACKEND} if none takes new flows
     */
    public int lookup(long flowHash) {
        // Fold to 32 well-mixed bits, then multiply-shift into [0, M): no division on the packet path.
        long folded = (flowHash ^ (flowHash >>> 32)) & 0xFFFF_FFFFL;
        int at = (int) ((folded * size) >>> 32);
        char[] n = narrow;
        return n != null ? n[at] - 1 : wide[at];
    }

    /**
     * The backends, ordered by identity: {@link #lookup} returns indexes into this list.
     *
     * @return an immutable list
     */
    public List<Backend> backends() {
        return backends;
    }

    /**
     * M, the number of slots.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * The backend index of one slot (for tests and diagnostics).
     *
     * @param slot 0 to M - 1
     * @return the index, or {@link #NO_BACKEND}
     */
    public int slot(int slot) {
        return narrow != null ? narrow[slot] - 1 : wide[slot];
    }

    /**
     * How many slots each backend holds, index for index with {@link #backends()}.
     *
     * @return a fresh array
     */
    public int[] slotCounts() {
        int[] counts = new int[backends.size()];
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            if (s != NO_BACKEND) {
                counts[s]++;
            }
        }
        return counts;
    }
}
