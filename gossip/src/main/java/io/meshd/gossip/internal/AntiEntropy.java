package io.meshd.gossip.internal;

import io.meshd.gossip.MemberState;
import io.meshd.gossip.TableScope;
import io.meshd.gossip.internal.GossipMetrics.Event;
import io.meshd.gossip.internal.Message.Alive;
import io.meshd.gossip.internal.Message.Dead;
import io.meshd.gossip.internal.Message.MemberRecord;
import io.meshd.gossip.internal.Message.PushPull;
import io.meshd.gossip.internal.Message.Suspect;
import io.meshd.gossip.internal.Message.TableUpdate;
import io.meshd.gossip.spi.PeerChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Full-state exchange over streams: periodic push-pull with one random member (anti-entropy for lost gossip and
 * table updates), join through seeds, and automatic partition heal: every reconnect interval one dead member (still
 * remembered) or one seed that is not a live member is pushed-pulled, so two halves of a healed partition find each
 * other again. Also reaps members and tombstones that are past their time.
 */
final class AntiEntropy {

    private final ProtocolContext ctx;
    private final MemberList members;
    private final TableStore tables;
    private final Membership membership;
    private final CompletableFuture<Void> synced = new CompletableFuture<>();

    AntiEntropy(ProtocolContext ctx, MemberList members, TableStore tables, Membership membership) {
        this.ctx = ctx;
        this.members = members;
        this.tables = tables;
        this.membership = membership;
    }

    void start() {
        ctx.ticker().every("push-pull", jitter(pushPullInterval()), this::pushPullTick);
        ctx.ticker().every("reconnect", jitter(nanos(ctx.cfg().reconnectInterval())), this::reconnectTick);
        ctx.ticker().every("reap", reapInterval(), this::reapTick);
    }

    /** A tenth of the shortest retention, between one probe interval and a minute: reaping need not be prompt. */
    private long reapInterval() {
        long shortest = Math.min(nanos(ctx.cfg().reconnectTimeout()), nanos(ctx.cfg().tombstoneTimeout()));
        return Math.max(nanos(ctx.cfg().probeInterval()), Math.min(shortest / 10, 60_000_000_000L));
    }

    private long jitter(long base) {
        return 1 + (long) (ctx.random().nextDouble() * base);
    }

    /** memberlist's pushPullScale: above 32 members the interval grows with log2(n) to bound the total load. */
    private long pushPullInterval() {
        long base = nanos(ctx.cfg().pushPullInterval());
        int n = members.liveCount();
        if (n <= 32) {
            return base;
        }
        double mult = Math.ceil(Math.log(n) / Math.log(2) - Math.log(32) / Math.log(2)) + 1.0;
        return (long) (base * mult);
    }

    private void pushPullTick() {
        ctx.ticker().every("push-pull", pushPullInterval(), this::pushPullTick);
        if (members.selfEntry().state() == MemberState.LEFT) {
            return;
        }
        List<MemberEntry> peers = members.sample(1, e -> e.state().isLive(), ctx.random());
        if (!peers.isEmpty()) {
            pushPull(peers.get(0).address(), false, ok -> { });
        }
    }

    private void reconnectTick() {
        ctx.ticker().every("reconnect", nanos(ctx.cfg().reconnectInterval()), this::reconnectTick);
        if (members.selfEntry().state() == MemberState.LEFT) {
            return;
        }
        Set<InetSocketAddress> live = new HashSet<>();
        List<InetSocketAddress> candidates = new ArrayList<>();
        for (MemberEntry e : members.all()) {
            if (e.state().isLive()) {
                live.add(e.address());
            } else if (e.state() == MemberState.DEAD) {
                candidates.add(e.address());
            }
        }
        for (InetSocketAddress seed : ctx.cfg().seeds()) {
            if (!live.contains(seed) && !seed.equals(ctx.selfAddress())) {
                candidates.add(seed);
            }
        }
        if (!candidates.isEmpty()) {
            ctx.metrics().count(Event.RECONNECT_ATTEMPT);
            pushPull(candidates.get(ctx.random().nextInt(candidates.size())), true, ok -> { });
        }
    }

    private void reapTick() {
        ctx.ticker().every("reap", reapInterval(), this::reapTick);
        long now = ctx.now();
        long timeout = nanos(ctx.cfg().reconnectTimeout());
        List<String> doomed = new ArrayList<>();
        // Only dead and left members can be due; skip the scan in the common all-alive case.
        boolean anyDown = members.all().size() > members.liveCount();
        for (MemberEntry e : anyDown ? members.all() : List.<MemberEntry>of()) {
            if (!e.state().isLive() && now - e.stateChangeNanos() >= timeout && !e.name().equals(ctx.self())) {
                doomed.add(e.name());
            }
        }
        for (String name : doomed) {
            membership.forget(name);
        }
        tables.reap(now, nanos(ctx.cfg().tombstoneTimeout()));
    }

    /** This node's full state. */
    PushPull localState(boolean join) {
        List<MemberRecord> ms = new ArrayList<>();
        for (MemberEntry e : members.all()) {
            ms.add(new MemberRecord(e.name(), e.address(), e.incarnation(), e.state()));
        }
        return new PushPull(join, ms, tables.snapshot());
    }

    /**
     * Exchanges full state with {@code to}; {@code done} gets whether it answered. If the answer made this node
     * refute (a restart, or a healed partition where the other side declared it dead), the exchange is repeated
     * once so the peer learns the new incarnation at once.
     */
    void pushPull(InetSocketAddress to, boolean join, Consumer<Boolean> done) {
        exchange(to, join, true, done);
    }

    private void exchange(InetSocketAddress to, boolean join, boolean mayRepeat, Consumer<Boolean> done) {
        ctx.metrics().count(Event.PUSH_PULL);
        long timeout = nanos(ctx.cfg().streamTimeout());
        ctx.wire().request(to, localState(join), timeout, new PeerChannel.ResponseHandler() {
            @Override
            public void onResponse(byte[] response) {
                Optional<Message> m = ctx.wire().openStream(response, to);
                if (m.isEmpty() || !(m.get() instanceof PushPull pp)) {
                    ctx.metrics().count(Event.PUSH_PULL_FAILURE);
                    done.accept(false);
                    return;
                }
                long before = members.selfEntry().incarnation();
                merge(pp);
                if (mayRepeat && ctx.ticker().running() && members.selfEntry().incarnation() != before) {
                    exchange(to, join, false, done);
                } else {
                    done.accept(true);
                }
            }

            @Override
            public void onFailure(String reason) {
                ctx.metrics().count(Event.PUSH_PULL_FAILURE);
                done.accept(false);
            }
        });
    }

    /**
     * Merges a peer's full state. As in memberlist, a remote "dead" only makes the member suspect here: this node
     * may know better, and the member gets a chance to refute.
     */
    void merge(PushPull pp) {
        for (MemberRecord r : pp.members()) {
            switch (r.state()) {
                case ALIVE:
                    membership.alive(new Alive(r.name(), r.address(), r.incarnation()));
                    break;
                case LEFT:
                    membership.dead(new Dead(r.name(), r.incarnation(), r.name()));
                    break;
                case SUSPECT:
                case DEAD:
                    // Unknown members are not learnt from a suspicion: that is how gone nodes get revived.
                    membership.suspect(new Suspect(r.name(), r.incarnation(), ctx.self()));
                    break;
                default:
                    break;
            }
        }
        long now = ctx.now();
        for (TableUpdate u : pp.entries()) {
            noteScope(u);
            tables.apply(u, now);
        }
        synced.complete(null);
    }

    /** Completes (on the protocol thread) once this member has merged a full state from another member. */
    CompletableFuture<Void> synced() {
        return synced;
    }

    /** Counts a version whose scope differs from this member's declaration of its table. */
    void noteScope(TableUpdate u) {
        boolean declaredCluster = ctx.cfg().tables().scope(u.table()) == TableScope.CLUSTER;
        if (u.cluster() != declaredCluster) {
            ctx.metrics().count(Event.SCOPE_MISMATCH);
        }
    }

    private static long nanos(java.time.Duration d) {
        return d.toNanos();
    }
}
