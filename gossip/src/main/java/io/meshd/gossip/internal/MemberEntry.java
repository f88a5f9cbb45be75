package io.meshd.gossip.internal;

import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import java.net.InetSocketAddress;

/** Mutable view of one member, owned by {@link MemberList} on the protocol thread. */
public final class MemberEntry {

    final String name;
    InetSocketAddress address;
    long incarnation;
    MemberState state;
    long stateChangeNanos;
    /** Position in {@link MemberList}'s sampling array. */
    int index;
    /** Whether the prober's current round holds this entry (saves a set of names per member). */
    boolean inProbeRound;

    MemberEntry(String name, InetSocketAddress address, long incarnation, MemberState state, long now) {
        this.name = name;
        this.address = address;
        this.incarnation = incarnation;
        this.state = state;
        this.stateChangeNanos = now;
    }

    /** The member's name. */
    public String name() {
        return name;
    }

    /** Its address. */
    public InetSocketAddress address() {
        return address;
    }

    /** Its incarnation. */
    public long incarnation() {
        return incarnation;
    }

    /** Its state. */
    public MemberState state() {
        return state;
    }

    /** When it last changed state. */
    public long stateChangeNanos() {
        return stateChangeNanos;
    }

    /** An immutable snapshot. */
    public Member snapshot() {
        return Member.of(name, address, state, incarnation);
    }
}
