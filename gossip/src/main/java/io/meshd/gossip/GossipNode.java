package io.meshd.gossip;

import io.meshd.gossip.internal.Swim;
import io.meshd.gossip.spi.Scheduler;
import io.meshd.gossip.spi.PeerChannel;
import io.meshd.net.metrics.MetricSource;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One member of a gossip cluster: SWIM membership with Lifeguard, and replicated tables. Thread-safe: every call is
 * handed to the member's protocol thread (or runs directly when already on it, as in the simulator). Listeners run
 * on the protocol thread and must not block.
 */
public final class GossipNode implements AutoCloseable {

    private static final long CALL_TIMEOUT_SECONDS = 30;

    private final Swim swim;
    private final Scheduler scheduler;
    private final GossipConfig config;
    private volatile boolean stopped;

    private GossipNode(Builder b) {
        this.scheduler = b.scheduler;
        this.config = b.config;
        this.swim = new Swim(b.config, b.scheduler, b.channel, b.random);
    }

    /** A builder; config, channel and scheduler are required. */
    public static Builder builder() {
        return new Builder();
    }

    private <T> T call(Supplier<T> task) {
        if (scheduler.inLoop()) {
            return task.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("protocol thread did not answer", e);
        }
    }

    private void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Starts probing, gossiping and answering. */
    public GossipNode start() {
        run(swim::start);
        return this;
    }

    /**
     * Pushes and pulls full state with every seed (its own address excluded); completes with how many answered.
     * A member that answers none is still running and keeps retrying the seeds every reconnect interval.
     */
    public CompletableFuture<Integer> join(List<InetSocketAddress> seeds) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        List<InetSocketAddress> targets = new ArrayList<>(seeds);
        run(() -> {
            targets.remove(swim.memberList().selfEntry().address());
            if (targets.isEmpty()) {
                result.complete(0);
                return;
            }
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger pending = new AtomicInteger(targets.size());
            for (InetSocketAddress seed : targets) {
                swim.joinThrough(seed, ok -> {
                    if (ok) {
                        answered.incrementAndGet();
                    }
                    if (pending.decrementAndGet() == 0) {
                        result.complete(answered.get());
                    }
                });
            }
        });
        return result;
    }

    /**
     * Announces a graceful leave, waits until the announcement was sent its full number of times or
     * {@code timeout} passed, then shuts down. Completes on the protocol thread.
     */
    public CompletableFuture<Void> leave(Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> {
            swim.leave();
            long deadline = scheduler.nanoTime() + timeout.toNanos();
            pollLeave(done, deadline);
        });
        return done;
    }

    private void pollLeave(CompletableFuture<Void> done, long deadline) {
        if (swim.leaveSpread() || scheduler.nanoTime() >= deadline || !swim.running()) {
            stopped = true;
            swim.shutdown();
            done.complete(null);
            return;
        }
        scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(20), () -> pollLeave(done, deadline));
    }

    /** Stops at once without telling anyone (the others will detect it as failed). Idempotent. */
    public void shutdown() {
        if (!stopped) {
            stopped = true;
            run(swim::shutdown);
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    /** This member's name. */
    public String name() {
        return swim.name();
    }

    /** Every member known, this one included, dead and left ones until they are reaped. */
    public List<Member> members() {
        return call(swim::memberSnapshots);
    }

    /** The member called {@code name}. */
    public Optional<Member> member(String name) {
        Objects.requireNonNull(name);
        return call(() -> swim.memberList().get(name).map(e -> e.snapshot()));
    }

    /**
     * Adds members as if learnt from a push-pull with a member that knows them all. For simulations and tests that
     * start from a converged cluster; a real member joins through seeds instead.
     */
    public void seedMembers(List<Member> known) {
        List<Member> copy = List.copyOf(known);
        run(() -> swim.seedMembers(copy));
    }

    /**
     * Writes {@code key = value} into {@code table}, owned by this member, with the table's declared
     * {@link TableScope}, and spreads it. Refuses (IllegalArgumentException) an empty table or key and an entry
     * whose encoding would not fit in one gossip packet ({@link #maxEntryBytes()}).
     */
    public void put(String table, String key, byte[] value) {
        byte[] copy = value.clone();
        run(() -> swim.put(table, key, copy));
    }

    /** The most bytes one encoded entry (table, key, owner, clock, flags, value) may take. */
    public int maxEntryBytes() {
        return call(swim::entryRoom);
    }

    /** Deletes {@code key} from {@code table}; false if it was absent. */
    public boolean delete(String table, String key) {
        return call(() -> swim.delete(table, key));
    }

    /** The visible value of {@code key} in {@code table}. */
    public Optional<byte[]> get(String table, String key) {
        return call(() -> swim.tables().get(table, key));
    }

    /** Every visible entry of {@code table}. */
    public Map<String, byte[]> entries(String table) {
        return call(() -> swim.tables().entries(table));
    }

    /**
     * The entries of {@code table} that {@code owner} wrote (the winning version is its own) and that are not
     * deleted, keys sorted; node-scoped entries of a dead owner included, though hidden from {@link #entries}.
     */
    public Map<String, byte[]> entries(String table, String owner) {
        Objects.requireNonNull(table);
        Objects.requireNonNull(owner);
        return call(() -> swim.tables().entries(table, owner));
    }

    /** The entries of {@code table} this member wrote: {@code entries(table, name())}. */
    public Map<String, byte[]> ownEntries(String table) {
        return entries(table, name());
    }

    /** The scope of {@code table} in this member's configuration ({@link TableScope#NODE} if not declared). */
    public TableScope scope(String table) {
        return config.tables().scope(table);
    }

    /**
     * Completes once this member has merged another member's full state (its first push-pull, in either
     * direction: a join, a periodic exchange, or one another member started). Until then its Lamport clock may be
     * behind its own writes from before a restart, so a restarted member waits for this before it writes.
     * Completes on the protocol thread.
     */
    public CompletableFuture<Void> initialSync() {
        return swim.initialSync();
    }

    /**
     * Waits up to {@code timeout} for {@link #initialSync()}; true if it happened, false if the time ran out (a
     * member alone, whose seeds did not answer). Must not be called on the protocol thread.
     */
    public boolean awaitInitialSync(Duration timeout) {
        if (scheduler.inLoop()) {
            throw new IllegalStateException("awaitInitialSync would block the protocol thread");
        }
        try {
            swim.initialSync().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Makes this member's own entries of {@code table} match {@code current}, the truth it holds locally (for
     * node-scoped tables such as endpoints, after a restart and {@link #awaitInitialSync}): every key of
     * {@code current} is written unless this member's version with the same value is already the winner, and every
     * own entry whose key is not in {@code current} is deleted. One step on the protocol thread, so no update
     * slips in between the read and the writes.
     */
    public Reconciliation reconcile(String table, Map<String, byte[]> current) {
        Map<String, byte[]> copy = new java.util.TreeMap<>();
        current.forEach((k, v) -> copy.put(Objects.requireNonNull(k), v.clone()));
        return call(() -> {
            Map<String, byte[]> own = swim.tables().entries(table, swim.name());
            List<String> announced = new ArrayList<>();
            List<String> deleted = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : copy.entrySet()) {
                byte[] had = own.get(e.getKey());
                if (had == null || !java.util.Arrays.equals(had, e.getValue())) {
                    swim.put(table, e.getKey(), e.getValue());
                    announced.add(e.getKey());
                }
            }
            for (String key : own.keySet()) {
                if (!copy.containsKey(key) && swim.delete(table, key)) {
                    deleted.add(key);
                }
            }
            return new Reconciliation(announced, deleted);
        });
    }

    /**
     * Runs {@code task} on the protocol thread (inline when already on it) and waits for it: for code that reads
     * and writes tables in one step, such as {@link io.meshd.gossip.alloc.BlockAllocator}. The task must not block.
     */
    public void runInProtocolThread(Runnable task) {
        run(Objects.requireNonNull(task));
    }

    /** Adds a membership listener. */
    public void addMembershipListener(MembershipListener l) {
        swim.addMembershipListener(Objects.requireNonNull(l));
    }

    /**
     * Adds a table listener. One added before {@link #start()} sees every entry this member ever learns, those of
     * its first push-pull included, each as a {@code PUT}; one added later sees only later changes.
     */
    public void addTableListener(TableListener l) {
        swim.addTableListener(Objects.requireNonNull(l));
    }

    /**
     * This member's metrics, readable from any thread: {@code meshd_gossip_events_total{event}} (probes,
     * refutations, suspicion timeouts, push-pulls), {@code meshd_gossip_traffic_total{kind}} and
     * {@code meshd_gossip_traffic_bytes_total{kind}}, {@code meshd_gossip_messages_total{type}},
     * {@code meshd_gossip_drops_total{reason}} for every kind of bad input, and the gauges
     * {@code meshd_gossip_members{state}} and {@code meshd_gossip_health_score}.
     */
    public MetricSource metrics() {
        return swim.metrics();
    }

    /** Lifeguard's local health score (0 = healthy). */
    public int healthScore() {
        return call(swim::healthScore);
    }

    /** Builds a {@link GossipNode}. */
    public static final class Builder {
        private GossipConfig config;
        private PeerChannel channel;
        private Scheduler scheduler;
        private Random random = new Random();

        private Builder() {
        }

        /** The configuration. */
        public Builder config(GossipConfig v) {
            config = Objects.requireNonNull(v);
            return this;
        }

        /** The packet and stream channel to the other members (its local address is what others see). */
        public Builder channel(PeerChannel v) {
            channel = Objects.requireNonNull(v);
            return this;
        }

        /** The protocol thread. */
        public Builder scheduler(Scheduler v) {
            scheduler = Objects.requireNonNull(v);
            return this;
        }

        /** The source of every random choice (seed it for replayable runs). */
        public Builder random(Random v) {
            random = Objects.requireNonNull(v);
            return this;
        }

        /** Builds the member (not started). */
        public GossipNode build() {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(scheduler, "scheduler");
            return new GossipNode(this);
        }
    }
}
