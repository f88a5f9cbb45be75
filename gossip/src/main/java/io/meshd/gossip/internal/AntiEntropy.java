package io.meshd.gossip.internal;

import io.meshd.gossip.MemberState;
import io.meshd.gossip.internal.Message.Alive;
import io.meshd.gossip.internal.Message.Dead;
import io.meshd.gossip.internal.Message.MemberRecord;
import io.meshd.gossip.internal.Message.PushPull;
import io.meshd.gossip.internal.Message.Suspect;
import io.meshd.gossip.internal.Message.TableUpdate;
import io.meshd.gossip.spi.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Full-state exchange over streams: periodic push-pull with one random member (anti-entropy for lost gossip and
 * table updates), join through seeds, and automatic partition heal: every reconnect interval one dead member (still
 * remembered) or one seed that is not a live member is pushed-pulled, so two halves of a healed partition find each
 * other again. Also reaps members and tombstones that are past their time.
 */
final class AntiEntropy {

    private final Swim swim;

    AntiEntropy(Swim swim) {
        this.swim = swim;
    }

    void start() {
        swim.every("push-pull", jitter(pushPullInterval()), this::pushPullTick);
        swim.every("reconnect", jitter(Swim.nanos(swim.cfg.reconnectInterval())), this::reconnectTick);
        swim.every("reap", reapInterval(), this::reapTick);
    }

    /** A tenth of the shortest retention, between one probe interval and a minute: reaping need not be prompt. */
    private long reapInterval() {
        long shortest = Math.min(Swim.nanos(swim.cfg.reconnectTimeout()), Swim.nanos(swim.cfg.tombstoneTimeout()));
        return Math.max(Swim.nanos(swim.cfg.probeInterval()), Math.min(shortest / 10, 60_000_000_000L));
    }

    private long jitter(long base) {
        return 1 + (long) (swim.random.nextDouble() * base);
    }

    /** memberlist's pushPullScale: above 32 members the interval grows with log2(n) to bound the total load. */
    private long pushPullInterval() {
        long base = Swim.nanos(swim.cfg.pushPullInterval());
        int n = swim.members.liveCount();
        if (n <= 32) {
            return base;
        }
        double mult = Math.ceil(Math.log(n) / Math.log(2) - Math.log(32) / Math.log(2)) + 1.0;
        return (long) (base * mult);
    }

    private void pushPullTick() {
        swim.every("push-pull", pushPullInterval(), this::pushPullTick);
        if (swim.members.selfEntry().state() == MemberState.LEFT) {
            return;
        }
        List<MemberEntry> peers = swim.members.sample(1, e -> e.state().isLive(), swim.random);
        if (!peers.isEmpty()) {
            pushPull(peers.get(0).address(), false, ok -> { });
        }
    }

    private void reconnectTick() {
        swim.every("reconnect", Swim.nanos(swim.cfg.reconnectInterval()), this::reconnectTick);
        if (swim.members.selfEntry().state() == MemberState.LEFT) {
            return;
        }
        Set<InetSocketAddress> live = new HashSet<>();
        List<InetSocketAddress> candidates = new ArrayList<>();
        for (MemberEntry e : swim.members.all()) {
            if (e.state().isLive()) {
                live.add(e.address());
            } else if (e.state() == MemberState.DEAD) {
                candidates.add(e.address());
            }
        }
        for (InetSocketAddress seed : swim.cfg.seeds()) {
            if (!live.contains(seed) && !seed.equals(swim.transport.localAddress())) {
                candidates.add(seed);
            }
        }
        List<InetSocketAddress> pick = swim.pickRandom(candidates, 1);
        if (!pick.isEmpty()) {
            swim.counters.inc("reconnect_attempts");
            pushPull(pick.get(0), true, ok -> { });
        }
    }

    private void reapTick() {
        swim.every("reap", reapInterval(), this::reapTick);
        long now = swim.scheduler.nanoTime();
        long timeout = Swim.nanos(swim.cfg.reconnectTimeout());
        List<String> doomed = new ArrayList<>();
        // Only dead and left members can be due; skip the scan in the common all-alive case.
        boolean anyDown = swim.members.all().size() > swim.members.liveCount();
        for (MemberEntry e : anyDown ? swim.members.all() : List.<MemberEntry>of()) {
            if (!e.state().isLive() && now - e.stateChangeNanos() >= timeout && !e.name().equals(swim.name())) {
                doomed.add(e.name());
            }
        }
        for (String name : doomed) {
            swim.forget(name);
        }
        swim.tables.reap(now, Swim.nanos(swim.cfg.tombstoneTimeout()));
    }

    /** This node's full state. */
    PushPull localState(boolean join) {
        List<MemberRecord> ms = new ArrayList<>();
        for (MemberEntry e : swim.members.all()) {
            ms.add(new MemberRecord(e.name(), e.address(), e.incarnation(), e.state()));
        }
        return new PushPull(join, ms, swim.tables.snapshot());
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
        swim.counters.inc("push_pulls");
        byte[] req = swim.sealStream(localState(join));
        swim.counters.inc("sent.streams");
        swim.counters.add("sent.stream_bytes", req.length);
        swim.transport.request(to, req, Swim.nanos(swim.cfg.streamTimeout()), new Transport.ResponseHandler() {
            @Override
            public void onResponse(byte[] response) {
                Optional<Message> m = swim.openStream(response, to);
                if (m.isEmpty() || !(m.get() instanceof PushPull pp)) {
                    done.accept(false);
                    return;
                }
                long before = swim.members.selfEntry().incarnation();
                merge(pp);
                if (mayRepeat && swim.running() && swim.members.selfEntry().incarnation() != before) {
                    exchange(to, join, false, done);
                } else {
                    done.accept(true);
                }
            }

            @Override
            public void onFailure(String reason) {
                swim.counters.inc("push_pulls.failed");
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
                    swim.applyAlive(new Alive(r.name(), r.address(), r.incarnation()));
                    break;
                case LEFT:
                    swim.applyDead(new Dead(r.name(), r.incarnation(), r.name()));
                    break;
                case SUSPECT:
                case DEAD:
                    // Unknown members are not learnt from a suspicion: that is how gone nodes get revived.
                    swim.applySuspect(new Suspect(r.name(), r.incarnation(), swim.name()));
                    break;
                default:
                    break;
            }
        }
        long now = swim.scheduler.nanoTime();
        for (TableUpdate u : pp.entries()) {
            swim.tables.apply(u, now);
        }
    }
}
