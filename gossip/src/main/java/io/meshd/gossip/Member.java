package io.meshd.gossip;

import java.net.InetSocketAddress;
import java.util.Objects;

/** An immutable snapshot of one member as this node sees it. */
public final class Member {

    private final String name;
    private final InetSocketAddress address;
    private final MemberState state;
    private final long incarnation;

    private Member(String name, InetSocketAddress address, MemberState state, long incarnation) {
        this.name = Objects.requireNonNull(name, "name");
        this.address = Objects.requireNonNull(address, "address");
        this.state = Objects.requireNonNull(state, "state");
        this.incarnation = incarnation;
    }

    /** Creates a snapshot. */
    public static Member of(String name, InetSocketAddress address, MemberState state, long incarnation) {
        return new Member(name, address, state, incarnation);
    }

    /** The member's unique, stable name (its identity across restarts). */
    public String name() {
        return name;
    }

    /** Where its gossip listens (UDP and TCP on the same port). */
    public InetSocketAddress address() {
        return address;
    }

    /** Its state. */
    public MemberState state() {
        return state;
    }

    /** Its incarnation: raised only by the member itself, to refute suspicion or after a restart. */
    public long incarnation() {
        return incarnation;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Member m && name.equals(m.name) && address.equals(m.address) && state == m.state
            && incarnation == m.incarnation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, address, state, incarnation);
    }

    @Override
    public String toString() {
        return name + "@" + address.getAddress().getHostAddress() + ":" + address.getPort() + " " + state
            + " inc=" + incarnation;
    }
}
