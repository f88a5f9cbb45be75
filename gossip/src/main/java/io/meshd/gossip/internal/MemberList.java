package io.meshd.gossip.internal;

import io.meshd.gossip.MemberState;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Predicate;

/**
 * SWIM's membership rules, free of I/O and timers (the caller acts on the {@link Outcome}):
 * <ul>
 *   <li>alive(i) replaces any state held at an incarnation below i; an unknown node is added;</li>
 *   <li>suspect(i) replaces alive at incarnation ≤ i; on a member suspect at i it is a confirmation, at a lower
 *       incarnation a new suspicion;</li>
 *   <li>dead(i) replaces alive or suspect at incarnation ≤ i; dead and left are final for their incarnation;</li>
 *   <li>anything that contradicts this node's own view of itself asks for a refutation, and only this node
 *       raises its own incarnation ({@link #refute}).</li>
 * </ul>
 * Iteration order is insertion order, so the simulator replays exactly.
 */
public final class MemberList {

    /** What applying a message did. */
    public enum Outcome {
        /** Stale or redundant: nothing changed, do not rebroadcast. */
        IGNORED,
        /** The member's state changed: rebroadcast and notify. */
        CHANGED,
        /** Another suspicion of an already suspect member: count it as a confirmation. */
        CONFIRMED,
        /** The message is about this node and wrong: raise the incarnation and broadcast alive. */
        REFUTE
    }

    private final String self;
    private final Map<String, MemberEntry> members = new LinkedHashMap<>();
    /** The same entries by position, for O(1) random sampling in large clusters. */
    private final List<MemberEntry> byIndex = new ArrayList<>();
    private int live = 1;
    /** Members by state ordinal; written on the protocol thread, read by metrics exports on any thread. */
    private final AtomicIntegerArray byState = new AtomicIntegerArray(MemberState.values().length);

    /** A list holding only this node, alive at incarnation 0. */
    public MemberList(String self, InetSocketAddress selfAddress, long now) {
        this.self = self;
        add(new MemberEntry(self, selfAddress, 0, MemberState.ALIVE, now));
    }

    /** This node's name. */
    public String self() {
        return self;
    }

    /** This node's entry. */
    public MemberEntry selfEntry() {
        return members.get(self);
    }

    /** The entry for {@code name}. */
    public Optional<MemberEntry> get(String name) {
        return Optional.ofNullable(members.get(name));
    }

    /** Every entry, this node included. */
    public Collection<MemberEntry> all() {
        return members.values();
    }

    /** Members alive or suspect, this node included. */
    public int liveCount() {
        return live;
    }

    /** Members in state {@code s}, this node included; safe to call from any thread. */
    public int count(MemberState s) {
        return byState.get(s.ordinal());
    }

    /** True if {@code name} is alive or suspect, or unknown (nothing says it is down). */
    public boolean liveOrUnknown(String name) {
        MemberEntry e = members.get(name);
        return e == null || e.state.isLive();
    }

    private void setState(MemberEntry e, MemberState s) {
        if (e.state.isLive() != s.isLive()) {
            live += s.isLive() ? 1 : -1;
        }
        byState.decrementAndGet(e.state.ordinal());
        byState.incrementAndGet(s.ordinal());
        e.state = s;
    }

    private void add(MemberEntry e) {
        byState.incrementAndGet(e.state.ordinal());
        members.put(e.name, e);
        e.index = byIndex.size();
        byIndex.add(e);
    }

    /**
     * Up to {@code k} distinct random members other than this node that satisfy {@code eligible}. Small lists are
     * scanned; large ones are sampled by position, so a gossip round costs O(k), not O(n).
     */
    public List<MemberEntry> sample(int k, Predicate<MemberEntry> eligible, Random random) {
        int n = byIndex.size();
        List<MemberEntry> out = new ArrayList<>(k);
        if (n <= 8 * k + 8) {
            for (MemberEntry e : byIndex) {
                if (!e.name.equals(self) && eligible.test(e)) {
                    out.add(e);
                }
            }
            Collections.shuffle(out, random);
            return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
        }
        for (int attempt = 0; attempt < 8 * k && out.size() < k; attempt++) {
            MemberEntry e = byIndex.get(random.nextInt(n));
            if (!e.name.equals(self) && eligible.test(e) && !out.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Forgets a member (reaping after the reconnect timeout). */
    public void remove(String name) {
        if (!name.equals(self)) {
            MemberEntry e = members.remove(name);
            if (e != null) {
                if (e.state.isLive()) {
                    live--;
                }
                byState.decrementAndGet(e.state.ordinal());
                MemberEntry last = byIndex.remove(byIndex.size() - 1);
                if (last != e) {
                    byIndex.set(e.index, last);
                    last.index = e.index;
                }
            }
        }
    }

    /** Applies "{@code node} is alive at {@code inc}". */
    public Outcome alive(String node, InetSocketAddress address, long inc, long now) {
        MemberEntry e = members.get(node);
        if (node.equals(self)) {
            boolean contradicts = inc > e.incarnation || (inc == e.incarnation && !address.equals(e.address));
            return contradicts && e.state != MemberState.LEFT ? Outcome.REFUTE : Outcome.IGNORED;
        }
        if (e == null) {
            add(new MemberEntry(node, address, inc, MemberState.ALIVE, now));
            live++;
            return Outcome.CHANGED;
        }
        if (inc <= e.incarnation) {
            return Outcome.IGNORED;
        }
        if (e.state != MemberState.ALIVE) {
            e.stateChangeNanos = now;
        }
        e.incarnation = inc;
        e.address = address;
        setState(e, MemberState.ALIVE);
        return Outcome.CHANGED;
    }

    /** Applies "{@code from} suspects {@code node} at {@code inc}". */
    public Outcome suspect(String node, long inc, String from, long now) {
        MemberEntry e = members.get(node);
        if (e == null || inc < e.incarnation) {
            return Outcome.IGNORED;
        }
        if (node.equals(self)) {
            return e.state == MemberState.LEFT ? Outcome.IGNORED : Outcome.REFUTE;
        }
        switch (e.state) {
            case SUSPECT:
                if (inc > e.incarnation) {
                    // A suspicion of a newer incarnation is a new suspicion: the member refuted the old one.
                    e.incarnation = inc;
                    e.stateChangeNanos = now;
                    return Outcome.CHANGED;
                }
                return Outcome.CONFIRMED;
            case ALIVE:
                e.incarnation = inc;
                setState(e, MemberState.SUSPECT);
                e.stateChangeNanos = now;
                return Outcome.CHANGED;
            default:
                return Outcome.IGNORED;
        }
    }

    /** Applies "{@code from} declares {@code node} dead at {@code inc}" ({@code from == node}: it left). */
    public Outcome dead(String node, long inc, String from, long now) {
        MemberEntry e = members.get(node);
        if (e == null || inc < e.incarnation) {
            return Outcome.IGNORED;
        }
        if (node.equals(self)) {
            return from.equals(self) || e.state == MemberState.LEFT ? Outcome.IGNORED : Outcome.REFUTE;
        }
        if (e.state == MemberState.DEAD && from.equals(node) && inc == e.incarnation) {
            // The member's own leave notice arrived after others had declared it dead at the same incarnation:
            // it is still down for that incarnation, and now known to have left (so nobody tries to reconnect).
            setState(e, MemberState.LEFT);
            return Outcome.CHANGED;
        }
        if (e.state == MemberState.DEAD || e.state == MemberState.LEFT) {
            return Outcome.IGNORED;
        }
        e.incarnation = inc;
        setState(e, from.equals(node) ? MemberState.LEFT : MemberState.DEAD);
        e.stateChangeNanos = now;
        return Outcome.CHANGED;
    }

    /** Raises this node's incarnation above {@code atLeast} and its own; returns the new incarnation. */
    public long refute(long atLeast) {
        MemberEntry me = members.get(self);
        me.incarnation = Math.max(me.incarnation, atLeast) + 1;
        setState(me, MemberState.ALIVE);
        return me.incarnation;
    }

    /** Marks this node as leaving; later suspicions are not refuted. */
    public void leave(long now) {
        MemberEntry me = members.get(self);
        setState(me, MemberState.LEFT);
        me.stateChangeNanos = now;
    }
}
