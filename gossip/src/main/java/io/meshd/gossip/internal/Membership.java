package io.meshd.gossip.internal;

import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.MembershipListener;
import io.meshd.gossip.internal.GossipMetrics.Event;
import io.meshd.gossip.internal.MemberList.Outcome;
import io.meshd.gossip.internal.Message.Alive;
import io.meshd.gossip.internal.Message.Dead;
import io.meshd.gossip.internal.Message.Suspect;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The effects of the membership rules: {@link MemberList} decides what a message changes, this class carries out the
 * consequences (refute, start or confirm a suspicion, rebroadcast, hide or restore the owner's table entries, tell
 * the listeners and the prober). Every message about a member, from a packet, a push-pull or a local timer, goes
 * through here.
 */
final class Membership {

    private final ProtocolContext ctx;
    private final MemberList members;
    private final TableStore tables;
    private final Awareness awareness;
    private final Dissemination dissemination;
    private final SuspicionTimers suspicions;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> liveWatchers = new ArrayList<>();

    Membership(ProtocolContext ctx, MemberList members, TableStore tables, Awareness awareness,
               Dissemination dissemination) {
        this.ctx = ctx;
        this.members = members;
        this.tables = tables;
        this.awareness = awareness;
        this.dissemination = dissemination;
        this.suspicions = new SuspicionTimers(ctx, this::suspicionExpired);
    }

    /** Registers a public listener (called on the protocol thread). */
    void addListener(MembershipListener l) {
        listeners.add(l);
    }

    /** Registers an internal watcher told the name of every member that becomes (or is seeded) alive. */
    void onAlive(Consumer<String> watcher) {
        liveWatchers.add(watcher);
    }

    /** Announces this member as it stands. */
    void announceSelf() {
        MemberEntry me = members.selfEntry();
        dissemination.member(me.name, new Alive(me.name, me.address, me.incarnation));
    }

    /** Adds alive members without broadcasting them, as if the cluster had long converged. */
    void seed(List<Member> known) {
        for (Member m : known) {
            if (m.state() == MemberState.ALIVE
                && members.alive(m.name(), m.address(), m.incarnation(), ctx.now()) == Outcome.CHANGED) {
                tellAlive(m.name());
            }
        }
    }

    /**
     * Marks this member as left and spreads it as "dead, from myself": queued for gossip like any news, and also
     * sent at once to every live member, one small packet each. Gossip alone sends it only a few times to random
     * members (some of them recently dead) before this member shuts down; a member that missed every copy would
     * suspect and declare dead a member that left.
     */
    void leave() {
        MemberEntry me = members.selfEntry();
        members.leave(ctx.now());
        Dead notice = new Dead(me.name, me.incarnation, me.name);
        dissemination.member(me.name, notice);
        List<byte[]> part = List.of(MessageCodec.part(notice));
        for (MemberEntry e : members.all()) {
            if (e.state.isLive() && !e.name.equals(me.name)) {
                ctx.wire().sendPacket(e.address, part);
            }
        }
        notifyListeners(me);
    }

    void alive(Alive a) {
        boolean wasLive = wasLive(a.node());
        Outcome o = members.alive(a.node(), a.address(), a.incarnation(), ctx.now());
        if (o == Outcome.REFUTE) {
            refute(a.incarnation());
        } else if (o == Outcome.CHANGED) {
            suspicions.cancel(a.node());
            dissemination.member(a.node(), a);
            tellAlive(a.node());
            notifyListeners(members.get(a.node()).orElseThrow());
            if (!wasLive) {
                tables.ownerChanged(a.node(), true);
            }
        }
    }

    void suspect(Suspect s) {
        Outcome o = members.suspect(s.node(), s.incarnation(), s.from(), ctx.now());
        switch (o) {
            case REFUTE:
                refute(s.incarnation());
                break;
            case CHANGED:
                dissemination.member(s.node(), s);
                suspicions.start(s, members.liveCount());
                notifyListeners(members.get(s.node()).orElseThrow());
                break;
            case CONFIRMED:
                if (suspicions.confirm(s)) {
                    dissemination.member(s.node(), s);
                }
                break;
            default:
                break;
        }
    }

    void dead(Dead d) {
        boolean wasLive = wasLive(d.node());
        Outcome o = members.dead(d.node(), d.incarnation(), d.from(), ctx.now());
        if (o == Outcome.REFUTE) {
            refute(d.incarnation());
        } else if (o == Outcome.CHANGED) {
            suspicions.cancel(d.node());
            dissemination.member(d.node(), d);
            notifyListeners(members.get(d.node()).orElseThrow());
            if (wasLive) {
                tables.ownerChanged(d.node(), false);
            }
        }
    }

    /**
     * A suspicion or death notice older than the alive state held here means the sender missed a refutation
     * (gossip reaches almost everyone, not everyone). Answer it directly with the newer state, so a straggler is
     * corrected within one round trip instead of declaring a healthy member dead when its timer runs out.
     */
    void correctIfStale(String node, long incarnation, InetSocketAddress sender) {
        MemberEntry e = members.get(node).orElse(null);
        if (e != null && e.state == MemberState.ALIVE && incarnation < e.incarnation) {
            ctx.metrics().count(Event.STALE_CORRECTION);
            dissemination.send(sender, new Alive(e.name, e.address, e.incarnation));
        }
    }

    /** Forgets a member after its reconnect timeout, with its table entries. */
    void forget(String name) {
        suspicions.cancel(name);
        members.remove(name);
        tables.forget(name);
    }

    /** Calls off every suspicion timer. */
    void stop() {
        suspicions.clear();
    }

    private void suspicionExpired(String node) {
        MemberEntry e = members.get(node).orElse(null);
        if (e != null && e.state == MemberState.SUSPECT) {
            ctx.metrics().count(Event.SUSPICION_TIMEOUT);
            dead(new Dead(node, e.incarnation, ctx.self()));
        }
    }

    private boolean wasLive(String node) {
        return members.liveOrUnknown(node);
    }

    private void refute(long heard) {
        members.refute(heard);
        // Lifeguard: being suspected is a hint that this node is the slow one.
        awareness.apply(1);
        ctx.metrics().count(Event.REFUTATION);
        announceSelf();
        notifyListeners(members.selfEntry());
    }

    private void tellAlive(String name) {
        for (Consumer<String> w : liveWatchers) {
            w.accept(name);
        }
    }

    private void notifyListeners(MemberEntry e) {
        if (!listeners.isEmpty()) {
            Member m = e.snapshot();
            for (MembershipListener l : listeners) {
                l.onChange(m);
            }
        }
    }
}
