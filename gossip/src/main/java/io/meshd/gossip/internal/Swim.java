package io.meshd.gossip.internal;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.MembershipListener;
import io.meshd.gossip.TableEvent;
import io.meshd.gossip.TableListener;
import io.meshd.gossip.internal.MemberList.Outcome;
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
import io.meshd.gossip.spi.Scheduler;
import io.meshd.gossip.spi.Scheduler.Cancellable;
import io.meshd.gossip.spi.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SWIM + Lifeguard protocol core of one member: message dispatch, the membership rules' side effects
 * (suspicion timers, broadcasts, notifications) and piggybacked dissemination. Probing lives in {@link Prober},
 * push-pull, join and partition heal in {@link AntiEntropy}. Every method runs on the {@link Scheduler}'s thread.
 */
public final class Swim implements Transport.Receiver {

    private static final Logger LOG = LoggerFactory.getLogger(Swim.class);
    private static final int MAX_PACKET = 65_507;

    final GossipConfig cfg;
    final Scheduler scheduler;
    final Transport transport;
    final Random random;
    final Counters counters;
    final PacketSealer sealer;
    final MemberList members;
    final TableStore tables;
    final Awareness awareness;
    final Prober prober;
    final AntiEntropy antiEntropy;
    private final BroadcastQueue memberBroadcasts = new BroadcastQueue();
    private final BroadcastQueue tableBroadcasts = new BroadcastQueue();
    private final Map<String, SuspicionTimer> suspicions = new HashMap<>();
    // Drop reasons, made once so that counting bad input allocates nothing.
    private final Counters.Drop tooLarge;
    private final Counters.Drop misdirectedPing;
    private final Counters.Drop unexpectedStreamMessage;
    private final Counters.Drop unexpectedPacketMessage;
    /** By {@link CodecException.Reason} ordinal. */
    private final Counters.Drop[] malformed;
    /** By {@link PacketSealer.Rejection} ordinal. */
    private final Counters.Drop[] rejected;
    private final Map<Long, AckHandler> ackHandlers = new HashMap<>();
    private final Map<String, Cancellable> ticks = new HashMap<>();
    private final List<MembershipListener> memberListeners = new CopyOnWriteArrayList<>();
    private final List<TableListener> tableListeners = new CopyOnWriteArrayList<>();
    private long nextSeq;
    private boolean running;

    /** Callbacks for one outstanding ping sequence number. */
    interface AckHandler {
        void onAck();

        void onNack();
    }

    private static final class SuspicionTimer {
        final Suspicion suspicion;
        final long incarnation;
        Cancellable timer;

        SuspicionTimer(Suspicion suspicion, long incarnation) {
            this.suspicion = suspicion;
            this.incarnation = incarnation;
        }
    }

    /** A member core on {@code transport}, driven by {@code scheduler}, using {@code random} for every choice. */
    public Swim(GossipConfig cfg, Scheduler scheduler, Transport transport, Random random) {
        this.cfg = cfg;
        this.scheduler = scheduler;
        this.transport = transport;
        this.random = random;
        this.counters = new Counters(TimeUnit.SECONDS.toNanos(10));
        this.tooLarge = counters.dropReason("too_large");
        this.misdirectedPing = counters.dropReason("misdirected_ping");
        this.unexpectedStreamMessage = counters.dropReason("unexpected_stream_message");
        this.unexpectedPacketMessage = counters.dropReason("unexpected_packet_message");
        this.malformed = counters.dropReasons("malformed.", CodecException.Reason.class);
        this.rejected = counters.dropReasons("", PacketSealer.Rejection.class);
        this.sealer = new PacketSealer(cfg.keyring(), cfg.label());
        this.members = new MemberList(cfg.name(), transport.localAddress(), scheduler.nanoTime());
        this.tables = new TableStore(cfg.name(), this::ownerLive, this::emitTableEvent);
        this.awareness = new Awareness(cfg.awarenessMaxMultiplier());
        this.prober = new Prober(this);
        this.antiEntropy = new AntiEntropy(this);
    }

    // ---- lifecycle ----

    /** Starts receiving and the periodic tasks (probe, gossip, push-pull, reconnect, reap). */
    public void start() {
        running = true;
        transport.start(this);
        long gossip = nanos(cfg.gossipInterval());
        // Stagger the first probe so members started together do not probe in lock step.
        every("probe", 1 + (long) (random.nextDouble() * nanos(cfg.probeInterval())), prober::tick);
        every("gossip", 1 + (long) (random.nextDouble() * gossip), this::gossipTick);
        antiEntropy.start();
        broadcastAlive();
    }

    /** True until {@link #shutdown()}. */
    public boolean running() {
        return running;
    }

    /** (Re)schedules the periodic task {@code name}; a task reschedules itself with this each time it runs. */
    void every(String name, long delayNanos, Runnable task) {
        if (running) {
            ticks.put(name, scheduler.schedule(delayNanos, task));
        }
    }

    /** Stops every task and closes the transport. Idempotent. */
    public void shutdown() {
        if (!running) {
            return;
        }
        running = false;
        for (Cancellable c : ticks.values()) {
            c.cancel();
        }
        ticks.clear();
        for (SuspicionTimer t : suspicions.values()) {
            t.timer.cancel();
        }
        suspicions.clear();
        ackHandlers.clear();
        memberBroadcasts.clear();
        tableBroadcasts.clear();
        transport.close();
    }

    /** Announces a graceful leave; the caller waits for {@link #leaveSpread()} before shutting down. */
    public void leave() {
        MemberEntry me = members.selfEntry();
        members.leave(scheduler.nanoTime());
        broadcastMember(me.name, new Dead(me.name, me.incarnation, me.name));
        notifyMember(me);
    }

    /**
     * Adds alive members without broadcasting them (everyone is being seeded alike), as if the cluster had long
     * converged.
     */
    public void seedMembers(List<Member> known) {
        for (Member m : known) {
            if (m.state() == MemberState.ALIVE
                && members.alive(m.name(), m.address(), m.incarnation(), scheduler.nanoTime()) == Outcome.CHANGED) {
                prober.added(m.name());
            }
        }
    }

    /** Pushes and pulls full state with {@code seed}; {@code done} gets whether it answered. */
    public void joinThrough(InetSocketAddress seed, java.util.function.Consumer<Boolean> done) {
        antiEntropy.pushPull(seed, true, done);
    }

    /** True once the leave message has been sent its full number of times. */
    public boolean leaveSpread() {
        return !memberBroadcasts.contains(memberKey(cfg.name()));
    }

    // ---- public state ----

    /** This node's name. */
    public String name() {
        return cfg.name();
    }

    /** The member list (protocol thread only). */
    public MemberList memberList() {
        return members;
    }

    /** The tables (protocol thread only). */
    public TableStore tables() {
        return tables;
    }

    /** Counters, readable from any thread. */
    public Counters counters() {
        return counters;
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
        memberListeners.add(l);
    }

    /** Registers a table listener. */
    public void addTableListener(TableListener l) {
        tableListeners.add(l);
    }

    /** Writes a table entry owned by this node and gossips it. */
    public void put(String table, String key, byte[] value) {
        int room = cfg.packetSize() - sealer.overhead() - MessageCodec.PACKET_HEADER - MessageCodec.PART_OVERHEAD
            - 64;
        TableUpdate probe = new TableUpdate(table, key, cfg.name(), Long.MAX_VALUE, false, value);
        if (MessageCodec.part(probe).length > room) {
            throw new IllegalArgumentException("entry does not fit in one gossip packet (" + room + " bytes)");
        }
        broadcastTable(tables.put(table, key, value, scheduler.nanoTime()));
    }

    /** Deletes a table entry (as a tombstone owned by this node) and gossips it. */
    public boolean delete(String table, String key) {
        Optional<TableUpdate> u = tables.delete(table, key, scheduler.nanoTime());
        u.ifPresent(this::broadcastTable);
        return u.isPresent();
    }

    // ---- input ----

    @Override
    public void onPacket(InetSocketAddress from, byte[] frame) {
        if (!running) {
            return;
        }
        counters.inc("received.packets");
        counters.add("received.bytes", frame.length);
        if (frame.length > MAX_PACKET) {
            if (counters.drop(tooLarge, scheduler.nanoTime())) {
                Counters.logDrop(LOG, tooLarge, frame.length + " bytes from " + from);
            }
            return;
        }
        Optional<byte[]> payload = open(frame, from);
        if (payload.isEmpty()) {
            return;
        }
        List<Message> msgs;
        try {
            msgs = MessageCodec.decodePacket(payload.get());
        } catch (CodecException e) {
            dropMalformed(e, from);
            return;
        }
        for (Message m : msgs) {
            handle(m, from);
        }
    }

    @Override
    public byte[] onRequest(InetSocketAddress from, byte[] frame) {
        if (!running) {
            return new byte[0];
        }
        counters.inc("received.streams");
        counters.add("received.stream_bytes", frame.length);
        Optional<Message> m = openStream(frame, from);
        if (m.isEmpty()) {
            return new byte[0];
        }
        if (m.get() instanceof PushPull pp) {
            antiEntropy.merge(pp);
            return sealStream(antiEntropy.localState(false));
        }
        if (m.get() instanceof Ping p) {
            if (!p.target().equals(cfg.name())) {
                if (counters.drop(misdirectedPing, scheduler.nanoTime())) {
                    Counters.logDrop(LOG, misdirectedPing, "stream ping for " + p.target());
                }
                return new byte[0];
            }
            return sealStream(new Ack(p.seq()));
        }
        if (counters.drop(unexpectedStreamMessage, scheduler.nanoTime())) {
            Counters.logDrop(LOG, unexpectedStreamMessage, m.get().getClass().getSimpleName());
        }
        return new byte[0];
    }

    Optional<byte[]> open(byte[] frame, InetSocketAddress from) {
        PacketSealer.Result r = sealer.open(frame);
        if (r.rejection().isPresent()) {
            Counters.Drop reason = rejected[r.rejection().get().ordinal()];
            if (counters.drop(reason, scheduler.nanoTime())) {
                Counters.logDrop(LOG, reason, "frame from " + from);
            }
        }
        return r.payload();
    }

    private void dropMalformed(CodecException e, InetSocketAddress from) {
        Counters.Drop reason = malformed[e.reason().ordinal()];
        if (counters.drop(reason, scheduler.nanoTime())) {
            Counters.logDrop(LOG, reason, e.getMessage() + " from " + from);
        }
    }

    Optional<Message> openStream(byte[] frame, InetSocketAddress from) {
        Optional<byte[]> payload = open(frame, from);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MessageCodec.decodeStream(payload.get()));
        } catch (CodecException e) {
            dropMalformed(e, from);
            return Optional.empty();
        }
    }

    byte[] sealStream(Message m) {
        return sealer.seal(MessageCodec.stream(m));
    }

    private void handle(Message m, InetSocketAddress from) {
        if (m instanceof Ping p) {
            onPing(p);
        } else if (m instanceof IndirectPing p) {
            onIndirectPing(p);
        } else if (m instanceof Ack a) {
            AckHandler h = ackHandlers.get(a.seq());
            if (h != null) {
                h.onAck();
            }
        } else if (m instanceof Nack n) {
            AckHandler h = ackHandlers.get(n.seq());
            if (h != null) {
                h.onNack();
            }
        } else if (m instanceof Alive a) {
            applyAlive(a);
        } else if (m instanceof Suspect s) {
            correctIfStale(s.node(), s.incarnation(), from);
            applySuspect(s);
        } else if (m instanceof Dead d) {
            correctIfStale(d.node(), d.incarnation(), from);
            applyDead(d);
        } else if (m instanceof TableUpdate u) {
            if (tables.apply(u, scheduler.nanoTime())) {
                tableBroadcasts.add(tableKey(u), MessageCodec.part(u));
            }
        } else {
            if (counters.drop(unexpectedPacketMessage, scheduler.nanoTime())) {
                Counters.logDrop(LOG, unexpectedPacketMessage, m.getClass().getSimpleName() + " from " + from);
            }
        }
    }

    /**
     * A suspicion or death notice older than the alive state held here means the sender missed a refutation
     * (gossip reaches almost everyone, not everyone). Answer it directly with the newer state, so a straggler is
     * corrected within one round trip instead of declaring a healthy member dead when its timer runs out.
     */
    private void correctIfStale(String node, long incarnation, InetSocketAddress sender) {
        MemberEntry e = members.get(node).orElse(null);
        if (e != null && e.state == MemberState.ALIVE && incarnation < e.incarnation) {
            counters.inc("stale_corrections");
            sendWithPiggyback(sender, List.of(MessageCodec.part(new Alive(e.name, e.address, e.incarnation))));
        }
    }

    private void onPing(Ping p) {
        if (!p.target().equals(cfg.name())) {
            if (counters.drop(misdirectedPing, scheduler.nanoTime())) {
                Counters.logDrop(LOG, misdirectedPing, "ping for " + p.target());
            }
            return;
        }
        sendWithPiggyback(p.sourceAddress(), List.of(MessageCodec.part(new Ack(p.seq()))));
    }

    private void onIndirectPing(IndirectPing req) {
        long seq = nextSeq();
        boolean[] acked = {false};
        ackHandlers.put(seq, new AckHandler() {
            @Override
            public void onAck() {
                if (!acked[0]) {
                    acked[0] = true;
                    sendWithPiggyback(req.sourceAddress(), List.of(MessageCodec.part(new Ack(req.seq()))));
                }
            }

            @Override
            public void onNack() {
            }
        });
        Ping ping = new Ping(seq, req.target(), cfg.name(), transport.localAddress());
        sendWithPiggyback(req.targetAddress(), List.of(MessageCodec.part(ping)));
        scheduler.schedule(awareness.scale(nanos(cfg.probeTimeout())), () -> {
            ackHandlers.remove(seq);
            if (!acked[0] && req.wantNack() && running) {
                sendWithPiggyback(req.sourceAddress(), List.of(MessageCodec.part(new Nack(req.seq()))));
            }
        });
    }

    // ---- membership rules and their effects ----

    void applyAlive(Alive a) {
        boolean wasLive = wasLive(a.node());
        Outcome o = members.alive(a.node(), a.address(), a.incarnation(), scheduler.nanoTime());
        if (o == Outcome.REFUTE) {
            refute(a.incarnation());
        } else if (o == Outcome.CHANGED) {
            cancelSuspicion(a.node());
            broadcastMember(a.node(), a);
            MemberEntry e = members.get(a.node()).orElseThrow();
            prober.added(a.node());
            notifyMember(e);
            if (!wasLive) {
                tables.ownerChanged(a.node(), true);
            }
        }
    }

    void applySuspect(Suspect s) {
        Outcome o = members.suspect(s.node(), s.incarnation(), s.from(), scheduler.nanoTime());
        switch (o) {
            case REFUTE:
                refute(s.incarnation());
                break;
            case CHANGED:
                broadcastMember(s.node(), s);
                startSuspicion(s);
                notifyMember(members.get(s.node()).orElseThrow());
                break;
            case CONFIRMED:
                confirmSuspicion(s);
                break;
            default:
                break;
        }
    }

    void applyDead(Dead d) {
        boolean wasLive = wasLive(d.node());
        Outcome o = members.dead(d.node(), d.incarnation(), d.from(), scheduler.nanoTime());
        if (o == Outcome.REFUTE) {
            refute(d.incarnation());
        } else if (o == Outcome.CHANGED) {
            cancelSuspicion(d.node());
            broadcastMember(d.node(), d);
            notifyMember(members.get(d.node()).orElseThrow());
            if (wasLive) {
                tables.ownerChanged(d.node(), false);
            }
        }
    }

    private boolean wasLive(String node) {
        return members.get(node).map(e -> e.state.isLive()).orElse(true);
    }

    private void refute(long heard) {
        members.refute(heard);
        // Lifeguard: being suspected is a hint that this node is the slow one.
        awareness.apply(1);
        counters.inc("refutations");
        broadcastAlive();
        notifyMember(members.selfEntry());
    }

    private void broadcastAlive() {
        MemberEntry me = members.selfEntry();
        broadcastMember(me.name, new Alive(me.name, me.address, me.incarnation));
    }

    private void startSuspicion(Suspect s) {
        int n = members.liveCount();
        int k = cfg.suspicionMult() - 2;
        // Too few members to expect independent confirmations: go straight to the minimum timeout.
        if (n - 2 < k) {
            k = 0;
        }
        long min = Suspicion.minTimeoutNanos(cfg.suspicionMult(), n, nanos(cfg.probeInterval()));
        long max = cfg.suspicionMaxTimeoutMult() * min;
        SuspicionTimer t = new SuspicionTimer(new Suspicion(scheduler.nanoTime(), min, max, k, s.from()),
            s.incarnation());
        cancelSuspicion(s.node());
        suspicions.put(s.node(), t);
        armSuspicion(s.node(), t);
    }

    private void armSuspicion(String node, SuspicionTimer t) {
        t.timer = scheduler.schedule(t.suspicion.remainingNanos(scheduler.nanoTime()), () -> {
            if (suspicions.get(node) != t) {
                return;
            }
            suspicions.remove(node);
            MemberEntry e = members.get(node).orElse(null);
            if (e != null && e.state == MemberState.SUSPECT) {
                counters.inc("suspicion_timeouts");
                applyDead(new Dead(node, e.incarnation, cfg.name()));
            }
        });
    }

    private void confirmSuspicion(Suspect s) {
        SuspicionTimer t = suspicions.get(s.node());
        if (t != null && t.suspicion.confirm(s.from())) {
            t.timer.cancel();
            armSuspicion(s.node(), t);
            broadcastMember(s.node(), s);
        }
    }

    private void cancelSuspicion(String node) {
        SuspicionTimer t = suspicions.remove(node);
        if (t != null) {
            t.timer.cancel();
        }
    }

    private boolean ownerLive(String owner) {
        return members.get(owner).map(e -> e.state.isLive()).orElse(true);
    }

    private void notifyMember(MemberEntry e) {
        if (!memberListeners.isEmpty()) {
            Member m = e.snapshot();
            for (MembershipListener l : memberListeners) {
                l.onChange(m);
            }
        }
    }

    private void emitTableEvent(TableEvent ev) {
        for (TableListener l : tableListeners) {
            l.onEvent(ev);
        }
    }

    /** Forgets a member after its reconnect timeout, with its table entries. */
    void forget(String name) {
        cancelSuspicion(name);
        members.remove(name);
        tables.forget(name);
    }

    // ---- dissemination ----

    static String memberKey(String node) {
        return "m:" + node;
    }

    private static String tableKey(TableUpdate u) {
        return "t:" + u.table() + '\u0000' + u.key();
    }

    void broadcastMember(String node, Message m) {
        memberBroadcasts.add(memberKey(node), MessageCodec.part(m));
    }

    private void broadcastTable(TableUpdate u) {
        tableBroadcasts.add(tableKey(u), MessageCodec.part(u));
    }

    long nextSeq() {
        return nextSeq++;
    }

    void registerAck(long seq, AckHandler h) {
        ackHandlers.put(seq, h);
    }

    void unregisterAck(long seq) {
        ackHandlers.remove(seq);
    }

    /**
     * Sends {@code parts} in one packet, filling the rest of it with queued updates: membership may take half the
     * room while table updates wait, table updates the rest, then membership what is left, so neither kind can
     * starve the other.
     */
    void sendWithPiggyback(InetSocketAddress to, List<byte[]> parts) {
        List<byte[]> out = new ArrayList<>(parts);
        int budget = cfg.packetSize() - sealer.overhead() - MessageCodec.PACKET_HEADER;
        for (byte[] p : parts) {
            budget -= p.length + MessageCodec.PART_OVERHEAD;
        }
        fillPiggyback(out, budget);
        sendPacket(to, out);
    }

    private int fillPiggyback(List<byte[]> out, int budget) {
        int limit = BroadcastQueue.retransmitLimit(cfg.retransmitMult(), members.liveCount());
        int max = MessageCodec.MAX_PARTS;
        int oh = MessageCodec.PART_OVERHEAD;
        int used = 0;
        if (tableBroadcasts.size() > 0) {
            used += memberBroadcasts.drainInto(out, budget / 2, oh, max, limit);
            used += tableBroadcasts.drainInto(out, budget - used, oh, max, limit);
        }
        used += memberBroadcasts.drainInto(out, budget - used, oh, max, limit);
        return used;
    }

    private void sendPacket(InetSocketAddress to, List<byte[]> parts) {
        byte[] frame = sealer.seal(MessageCodec.packet(parts));
        counters.inc("sent.packets");
        counters.add("sent.bytes", frame.length);
        transport.sendPacket(to, frame);
    }

    private void gossipTick() {
        if (!running) {
            return;
        }
        every("gossip", nanos(cfg.gossipInterval()), this::gossipTick);
        if (memberBroadcasts.size() == 0 && tableBroadcasts.size() == 0) {
            return;
        }
        long now = scheduler.nanoTime();
        long toTheDead = nanos(cfg.gossipToTheDeadTime());
        List<MemberEntry> targets = members.sample(cfg.gossipNodes(), e -> e.state.isLive()
            || (e.state == MemberState.DEAD && now - e.stateChangeNanos < toTheDead), random);
        int budget = cfg.packetSize() - sealer.overhead() - MessageCodec.PACKET_HEADER;
        for (MemberEntry target : targets) {
            List<byte[]> out = new ArrayList<>();
            fillPiggyback(out, budget);
            if (out.isEmpty()) {
                break;
            }
            sendPacket(target.address, out);
        }
    }

    /** Up to {@code k} distinct random elements of {@code from} (which it reorders). */
    <T> List<T> pickRandom(List<T> from, int k) {
        int n = from.size();
        int take = Math.min(k, n);
        for (int i = 0; i < take; i++) {
            int j = i + random.nextInt(n - i);
            T tmp = from.get(i);
            from.set(i, from.get(j));
            from.set(j, tmp);
        }
        return from.subList(0, take);
    }

    static long nanos(java.time.Duration d) {
        return d.toNanos();
    }
}
