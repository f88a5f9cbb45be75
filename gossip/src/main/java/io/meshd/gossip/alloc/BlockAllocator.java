package io.meshd.gossip.alloc;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.TableScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Claims one numbered slot of a pool (a per-node address block, a VNI) with no central allocator. A claim is the
 * entry {@code <pool>/<slot>/<claimant>} of a cluster-scoped table, written only by the claimant, so claims never
 * overwrite each other: every member sees every claim. When several claimants claim one slot, the
 * {@link WinnerRule} (lowest name) picks the same winner at every member; each loser deletes its claim and claims the
 * lowest slot it sees free. Every change of the table re-runs this, so once gossip has delivered every claim, every
 * slot has at most one claimant and every claimant that wants a slot holds one (if there are enough slots).
 *
 * <p>A claim is not final the moment it is written: a rival's concurrent claim may still be on its way. Use a slot
 * only once it is {@link #settled}: held without a break for {@link #settleTime} (how long a rival's claim
 * takes to reach this member). A partition lets both sides hold the same slot; when it heals the loser is told by
 * {@link #reevaluate()} returning true and {@link #held()} changing, and must move what it handed out.
 *
 * <p>All methods run on the owning gossip member's protocol thread (they hop there when built with
 * {@link #attach}); built with {@link #create} they run on the caller's thread, which must be the only one.
 */
public final class BlockAllocator {

    /** The value of a claim: a format version byte, nothing else yet. */
    private static final byte[] CLAIM = {1};

    private final ClaimTable table;
    private final String pool;
    private final String prefix;
    private final String claimant;
    private final int slots;
    private final WinnerRule rule;
    private final Consumer<Runnable> thread;
    private boolean wanted;
    /** Released and not wanting again: inert, so a newer allocator of the same pool and claimant is not fought. */
    private boolean released;
    private int repicks;
    private boolean evaluating;
    private boolean again;
    private final LongSupplier clock;
    private int trackedSlot = -1;
    private long trackedSince;

    private BlockAllocator(ClaimTable table, String pool, String claimant, int slots, WinnerRule rule,
        Consumer<Runnable> thread, LongSupplier clock) {
        if (pool.isEmpty() || pool.indexOf('/') >= 0) {
            throw new IllegalArgumentException("pool must be non-empty and without '/': '" + pool + "'");
        }
        if (claimant.isEmpty()) {
            throw new IllegalArgumentException("claimant must not be empty");
        }
        if (slots < 1) {
            throw new IllegalArgumentException("a pool needs at least one slot: " + slots);
        }
        this.table = Objects.requireNonNull(table);
        this.pool = pool;
        this.prefix = pool + "/";
        this.claimant = claimant;
        this.slots = slots;
        this.rule = Objects.requireNonNull(rule);
        this.thread = thread;
        this.clock = clock;
    }

    /**
     * An allocator over {@code table}, for {@code claimant}, of the slots {@code 0 .. slots-1} of {@code pool}; the
     * caller runs every method on one thread and calls {@link #reevaluate()} after the table changed.
     */
    public static BlockAllocator create(ClaimTable table, String pool, String claimant, int slots, WinnerRule rule) {
        return create(table, pool, claimant, slots, rule, System::nanoTime);
    }

    /** As {@link #create(ClaimTable, String, String, int, WinnerRule)}, timing {@link #settled} by {@code clock}. */
    public static BlockAllocator create(ClaimTable table, String pool, String claimant, int slots, WinnerRule rule,
        LongSupplier clock) {
        return new BlockAllocator(table, pool, claimant, slots, rule, Runnable::run, Objects.requireNonNull(clock));
    }

    /**
     * How long a slot must have been {@link #held()} before it is used ({@link #settled}): long enough for a rival's
     * concurrent claim to reach this member with high probability, by gossip (every update is sent
     * {@code retransmitMult · ⌈log10(n+1)⌉} times, one per gossip interval) and, if that was lost, by two
     * push-pull rounds (the interval scaled as the member scales it above 32 members) and a stream timeout. Not a
     * guarantee: a partition can delay a claim for ever (docs/gossip.md).
     */
    public static Duration settleTime(GossipConfig cfg, int members) {
        int n = Math.max(1, members);
        long rounds = (long) cfg.retransmitMult() * (long) Math.ceil(Math.log10(n + 1));
        double scale = n <= 32 ? 1 : Math.ceil(Math.log(n) / Math.log(2) - 5) + 1;
        Duration pushPull = Duration.ofNanos((long) (cfg.pushPullInterval().toNanos() * scale));
        return cfg.gossipInterval().multipliedBy(rounds).plus(pushPull.multipliedBy(2)).plus(cfg.streamTimeout());
    }

    /**
     * An allocator on {@code node}'s table {@code table}, which must be declared {@link TableScope#CLUSTER}, with
     * the {@link WinnerRule#LOWEST_NAME} rule; it re-evaluates on every change of the pool's claims. The claimant is
     * typically the node's name (address blocks) or a network's name (VNIs).
     */
    public static BlockAllocator attach(GossipNode node, String table, String pool, String claimant, int slots) {
        return attach(node, table, pool, claimant, slots, System::nanoTime);
    }

    /** As {@link #attach(GossipNode, String, String, String, int)}, timing {@link #settled} by {@code clock}. */
    public static BlockAllocator attach(GossipNode node, String table, String pool, String claimant, int slots,
        LongSupplier clock) {
        if (node.scope(table) != TableScope.CLUSTER) {
            throw new IllegalArgumentException("table " + table + " must be declared CLUSTER-scoped for claims");
        }
        BlockAllocator a = new BlockAllocator(ClaimTable.of(node, table), pool, claimant, slots,
            WinnerRule.LOWEST_NAME, node::runInProtocolThread, Objects.requireNonNull(clock));
        node.addTableListener(ev -> {
            if (ev.table().equals(table) && ev.key().startsWith(a.prefix)) {
                a.reevaluate();
            }
        });
        return a;
    }

    /** The pool's name. */
    public String pool() {
        return pool;
    }

    /** Who claims. */
    public String claimant() {
        return claimant;
    }

    /**
     * Wants a slot from now on: keeps the one already claimed (after a restart too), else claims the lowest free
     * one. Returns the slot claimed, empty if every slot is taken as far as this member knows (it will claim one
     * when one frees up).
     */
    public OptionalInt claim() {
        return onThread(() -> {
            wanted = true;
            released = false;
            reevaluate();
            return own(claims());
        });
    }

    /** Stops wanting a slot and deletes this claimant's claims. */
    public void release() {
        onThread(() -> {
            wanted = false;
            released = true;
            for (Map.Entry<Integer, List<String>> e : claims().entrySet()) {
                if (e.getValue().contains(claimant)) {
                    table.delete(key(e.getKey()));
                }
            }
            return null;
        });
    }

    /** The slot this claimant holds as far as this member knows: its claim, with no rival claim that beats it. */
    public OptionalInt held() {
        return onThread(this::track);
    }

    /**
     * The slot this claimant has held without a break for at least {@code settle} (see {@link #settleTime}), as
     * observed by this allocator's re-evaluations: the slot to hand addresses or a VNI out of.
     */
    public OptionalInt settled(Duration settle) {
        return onThread(() -> {
            OptionalInt h = track();
            return h.isPresent() && clock.getAsLong() - trackedSince >= settle.toNanos() ? h : OptionalInt.empty();
        });
    }

    /** The held slot now, noting when it became held. */
    private OptionalInt track() {
        Map<Integer, List<String>> claims = claims();
        OptionalInt mine = own(claims);
        OptionalInt h = mine.isPresent() && !beaten(claims.get(mine.getAsInt())) ? mine : OptionalInt.empty();
        int slot = h.orElse(-1);
        if (slot != trackedSlot) {
            trackedSlot = slot;
            trackedSince = clock.getAsLong();
        }
        return h;
    }

    /** How many times this claimant lost a slot to a rival and had to re-pick. */
    public int repicks() {
        return onThread(() -> repicks);
    }

    /**
     * Applies the rule to the claims as this member sees them now: deletes every claim of this claimant that a
     * rival beats (and all but its lowest unbeaten one), then, if it wants a slot and holds none, claims the lowest
     * slot nobody claims. True if it wrote anything. Call on the table's thread.
     */
    public boolean reevaluate() {
        if (released) {
            // Its listener stays on the node: a released allocator must not delete the claims of a newer one of the
            // same pool and claimant (a network removed and created again spun the protocol thread, each deleting
            // what the other wrote).
            return false;
        }
        if (evaluating) {
            // Called back from our own write (a table listener runs inside put and delete): redo after this pass.
            again = true;
            return false;
        }
        evaluating = true;
        try {
            boolean wrote = false;
            do {
                again = false;
                wrote |= evaluateOnce();
            } while (again);
            track();
            return wrote;
        } finally {
            evaluating = false;
        }
    }

    private boolean evaluateOnce() {
        Map<Integer, List<String>> claims = claims();
        boolean wrote = false;
        boolean keeping = false;
        for (Map.Entry<Integer, List<String>> e : claims.entrySet()) {
            if (!e.getValue().contains(claimant)) {
                continue;
            }
            boolean lost = beaten(e.getValue());
            if (lost || keeping || !wanted) {
                table.delete(key(e.getKey()));
                e.getValue().remove(claimant);
                wrote = true;
                if (lost) {
                    repicks++;
                }
            } else {
                keeping = true;
            }
        }
        if (wanted && !keeping) {
            for (int s = 0; s < slots; s++) {
                List<String> c = claims.get(s);
                if (c == null || c.isEmpty()) {
                    table.put(key(s), CLAIM);
                    return true;
                }
            }
        }
        return wrote;
    }

    private boolean beaten(List<String> claimants) {
        for (String rival : claimants) {
            if (!rival.equals(claimant) && rule.beats(rival, claimant)) {
                return true;
            }
        }
        return false;
    }

    private OptionalInt own(Map<Integer, List<String>> claims) {
        for (Map.Entry<Integer, List<String>> e : claims.entrySet()) {
            if (e.getValue().contains(claimant)) {
                return OptionalInt.of(e.getKey());
            }
        }
        return OptionalInt.empty();
    }

    /** Claimants of every claimed slot of this pool, slots ascending; keys that do not parse are ignored. */
    Map<Integer, List<String>> claims() {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (String k : table.entries().keySet()) {
            if (!k.startsWith(prefix)) {
                continue;
            }
            int slash = k.indexOf('/', prefix.length());
            if (slash < 0 || slash == k.length() - 1) {
                continue;
            }
            int slot = parseSlot(k.substring(prefix.length(), slash));
            if (slot >= 0 && slot < slots) {
                out.computeIfAbsent(slot, s -> new ArrayList<>()).add(k.substring(slash + 1));
            }
        }
        return out;
    }

    private static int parseSlot(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(s);
    }

    /** The key of this claimant's claim of {@code slot}. */
    String key(int slot) {
        return prefix + slot + "/" + claimant;
    }

    private <T> T onThread(Supplier<T> task) {
        List<T> out = new ArrayList<>(1);
        thread.accept(() -> out.add(task.get()));
        return out.get(0);
    }
}
