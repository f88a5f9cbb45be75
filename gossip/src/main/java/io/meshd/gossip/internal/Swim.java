package io.meshd.gossip.internal;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.MembershipListener;
import io.meshd.gossip.TableEvent;
import io.meshd.gossip.TableListener;
import io.meshd.gossip.TableScope;
import io.meshd.gossip.internal.GossipMetrics.Drop;
import io.meshd.gossip.internal.GossipMetrics.MessageType;
import io.meshd.gossip.internal.GossipMetrics.Traffic;
import io.meshd.gossip.internal.Message.Ack;
import io.meshd.gossip.internal.Message.Alive;
import io.meshd.gossip.internal.Message.Dead;
import io.meshd.gossip.internal.Message.IndirectPing;
import io.meshd.gossip.internal.Message.Nack;
import io.meshd.gossip.internal.Message.Ping;
import io.meshd.gossip.internal.Message.PushPull;
import io.meshd.gossip.internal.Message.Suspect;
import io.meshd.gossip.internal.Message.TableUpdate;
import io.meshd.gossip.security.PacketSealer;
import io.meshd.gossip.spi.PeerChannel;
import io.meshd.gossip.spi.Scheduler;
import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricSink;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The SWIM + Lifeguard protocol core of one member: it wires the parts together, dispatches every received message
 * to the part that handles it, and is the member's API. The parts: {@link Wire} (sealing, decoding, counting
 * drops), {@link Membership} (the rules' effects, with {@link SuspicionTimers}), {@link Dissemination}
 * (piggybacked broadcasts and gossip rounds), {@link Prober} and {@link PingResponder} (failure detection) and
 * {@link AntiEntropy} (push-pull, join, heal, reap). Every method runs on the {@link Scheduler}'s thread.
 */
public final class Swim implements PeerChannel.Receiver {

    private static final byte[] NO_RESPONSE = new byte[0];

    private final ProtocolContext ctx;
    private final MemberList members;
    private final TableStore tables;
    private final Awareness awareness;
    private final AckTracker acks = new AckTracker();
    private final Dissemination dissemination;
    private final Membership membership;
    private final PingResponder responder;
    private final Prober prober;
    private final AntiEntropy antiEntropy;
    private final List<TableListener> tableListeners = new CopyOnWriteArrayList<>();

    /** A member core on {@code channel}, driven by {@code scheduler}, using {@code random} for every choice. */
    public Swim(GossipConfig cfg, Scheduler scheduler, PeerChannel channel, Random random) {
        GossipMetrics metrics = new GossipMetrics(scheduler::nanoTime);
        Wire wire = new Wire(new PacketSealer(cfg.keyring(), cfg.label()), channel, metrics, cfg.packetSize());
        this.ctx = new ProtocolContext(cfg, scheduler, random, new Ticker(scheduler), metrics, wire);
        this.members = new MemberList(cfg.name(), channel.localAddress(), scheduler.nanoTime());
        this.awareness = new Awareness(cfg.awarenessMaxMultiplier());
        this.dissemination = new Dissemination(ctx, members);
        this.tables = new TableStore(cfg.name(), members::liveOrUnknown, this::emitTableEvent);
        this.membership = new Membership(ctx, members, tables, awareness, dissemination);
        this.responder = new PingResponder(ctx, acks, awareness, dissemination);
        this.prober = new Prober(ctx, members, membership, awareness, acks, dissemination);
        this.antiEntropy = new AntiEntropy(ctx, members, tables, membership);
    }

    // ---- lifecycle ----

    /** Starts receiving and the periodic tasks (probe, gossip, push-pull, reconnect, reap). */
    public void start() {
        ctx.ticker().start();
        ctx.wire().start(this);
        prober.start();
        dissemination.start();
        antiEntropy.start();
        membership.announceSelf();
    }

    /** True until {@link #shutdown()}. */
    public boolean running() {
        return ctx.ticker().running();
    }

    /** Stops every task and closes the channel. Idempotent. */
    public void shutdown() {
        if (!running()) {
            return;
        }
        ctx.ticker().stop();
        membership.stop();
        acks.clear();
        dissemination.clear();
        ctx.wire().close();
    }

    /** Announces a graceful leave; the caller waits for {@link #leaveSpread()} before shutting down. */
    public void leave() {
        membership.leave();
    }

    /** True once the leave message has been sent its full number of times. */
    public boolean leaveSpread() {
        return !dissemination.pending(ctx.self());
    }

    /**
     * Adds alive members without broadcasting them (everyone is being seeded alike), as if the cluster had long
     * converged.
     */
    public void seedMembers(List<Member> known) {
        membership.seed(known);
    }

    /** Pushes and pulls full state with {@code seed}; {@code done} gets whether it answered. */
    public void joinThrough(InetSocketAddress seed, Consumer<Boolean> done) {
        antiEntropy.pushPull(seed, true, done);
    }

    // ---- public state ----

    /** This node's name. */
    public String name() {
        return ctx.self();
    }

    /** The member list (protocol thread only). */
    public MemberList memberList() {
        return members;
    }

    /** The tables (protocol thread only). */
    public TableStore tables() {
        return tables;
    }

    /** The counters, readable from any thread. */
    public GossipMetrics counters() {
        return ctx.metrics();
    }

    /**
     * Every counter plus the gauges (members by state, health score), readable from any thread: the counts by
     * state are kept by {@link MemberList} as the protocol thread changes them.
     */
    public MetricSource metrics() {
        return this::collect;
    }

    private void collect(MetricSink sink) {
        ctx.metrics().collect(sink);
        for (MemberState s : MemberState.values()) {
            sink.sample("meshd_gossip_members", MetricType.GAUGE, "Members known to this one, by state",
                Labels.of("state", s.name().toLowerCase(Locale.ROOT)), members.count(s));
        }
        sink.sample("meshd_gossip_health_score", MetricType.GAUGE,
            "Lifeguard local health score: 0 is healthy, higher stretches probe intervals", Labels.none(),
            awareness.score());
    }

    /** Lifeguard's local health score. */
    public int healthScore() {
        return awareness.score();
    }

    /** Snapshots of every member. */
    public List<Member> memberSnapshots() {
        List<Member> out = new ArrayList<>();
        for (MemberEntry e : members.all()) {
            out.add(e.snapshot());
        }
        return out;
    }

    /** Registers a membership listener. */
    public void addMembershipListener(MembershipListener l) {
        membership.addListener(l);
    }

    /** Registers a table listener. */
    public void addTableListener(TableListener l) {
        tableListeners.add(l);
    }

    /**
     * Writes a table entry owned by this node, with its table's declared scope, and gossips it. Refuses an entry
     * that would not fit in one gossip packet next to a little membership news.
     */
    public void put(String table, String key, byte[] value) {
        if (table.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException("table and key must not be empty");
        }
        int room = entryRoom();
        boolean cluster = clusterScoped(table);
        TableUpdate probe = new TableUpdate(table, key, ctx.self(), Long.MAX_VALUE, false, cluster, value);
        int size = MessageCodec.part(probe).length;
        if (size > room) {
            throw new IllegalArgumentException("entry " + table + "/" + key + " takes " + size
                + " bytes encoded, more than the " + room + " bytes one gossip packet has room for (value "
                + value.length + " bytes)");
        }
        dissemination.table(tables.put(table, key, value, cluster, ctx.now()));
    }

    /** The most bytes one encoded table entry may take: a packet less its framing and room for membership news. */
    public int entryRoom() {
        return ctx.wire().packetBudget() - MessageCodec.PART_OVERHEAD - 64;
    }

    private boolean clusterScoped(String table) {
        return ctx.cfg().tables().scope(table) == TableScope.CLUSTER;
    }

    /** Deletes a table entry (as a tombstone owned by this node) and gossips it. */
    public boolean delete(String table, String key) {
        Optional<TableUpdate> u = tables.delete(table, key, clusterScoped(table), ctx.now());
        u.ifPresent(dissemination::table);
        return u.isPresent();
    }

    /** Completes on the protocol thread once this member has merged a full state from another member. */
    public CompletableFuture<Void> initialSync() {
        return antiEntropy.synced();
    }

    // ---- input ----

    @Override
    public void onPacket(InetSocketAddress from, byte[] frame) {
        if (!running()) {
            return;
        }
        Optional<List<Message>> msgs = ctx.wire().openPacket(frame, from);
        if (msgs.isPresent()) {
            for (Message m : msgs.get()) {
                handle(m, from);
            }
        }
    }

    @Override
    public byte[] onRequest(InetSocketAddress from, byte[] frame) {
        if (!running()) {
            return NO_RESPONSE;
        }
        ctx.metrics().traffic(Traffic.STREAMS_RECEIVED, frame.length);
        Optional<Message> m = ctx.wire().openStream(frame, from);
        if (m.isEmpty()) {
            return NO_RESPONSE;
        }
        if (m.get() instanceof PushPull pp) {
            ctx.metrics().received(MessageType.PUSH_PULL);
            antiEntropy.merge(pp);
            return ctx.wire().sealStream(antiEntropy.localState(false));
        }
        if (m.get() instanceof Ping p) {
            ctx.metrics().received(MessageType.PING);
            return responder.onStreamPing(p).map(ctx.wire()::sealStream).orElse(NO_RESPONSE);
        }
        ctx.metrics().drop(Drop.UNEXPECTED_STREAM_MESSAGE, m.get(), null);
        return NO_RESPONSE;
    }

    private void handle(Message m, InetSocketAddress from) {
        if (m instanceof Ping p) {
            ctx.metrics().received(MessageType.PING);
            responder.onPing(p);
        } else if (m instanceof IndirectPing p) {
            ctx.metrics().received(MessageType.INDIRECT_PING);
            responder.onIndirectPing(p);
        } else if (m instanceof Ack a) {
            ctx.metrics().received(MessageType.ACK);
            acks.ack(a.seq());
        } else if (m instanceof Nack n) {
            ctx.metrics().received(MessageType.NACK);
            acks.nack(n.seq());
        } else {
            handleNews(m, from);
        }
    }

    /** Membership and table news. */
    private void handleNews(Message m, InetSocketAddress from) {
        if (m instanceof Alive a) {
            ctx.metrics().received(MessageType.ALIVE);
            membership.alive(a);
        } else if (m instanceof Suspect s) {
            ctx.metrics().received(MessageType.SUSPECT);
            membership.correctIfStale(s.node(), s.incarnation(), from);
            membership.suspect(s);
        } else if (m instanceof Dead d) {
            ctx.metrics().received(MessageType.DEAD);
            membership.correctIfStale(d.node(), d.incarnation(), from);
            membership.dead(d);
        } else if (m instanceof TableUpdate u) {
            ctx.metrics().received(MessageType.TABLE_UPDATE);
            antiEntropy.noteScope(u);
            if (tables.apply(u, ctx.now())) {
                dissemination.table(u);
            }
        } else {
            ctx.metrics().drop(Drop.UNEXPECTED_PACKET_MESSAGE, from, null);
        }
    }

    private void emitTableEvent(TableEvent ev) {
        for (TableListener l : tableListeners) {
            l.onEvent(ev);
        }
    }
}
