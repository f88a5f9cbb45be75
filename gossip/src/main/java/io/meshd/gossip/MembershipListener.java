package io.meshd.gossip;

/** Told about every change of a member's state, address or incarnation, on the protocol thread. Must not block. */
@FunctionalInterface
public interface MembershipListener {

    /** {@code member} is the new view of the member that changed. */
    void onChange(Member member);
}
