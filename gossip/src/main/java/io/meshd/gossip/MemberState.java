package io.meshd.gossip;

/** Where a member stands, as this node sees it. */
public enum MemberState {
    /** Answers probes (or refuted the last suspicion). */
    ALIVE,
    /** Missed a probe round; declared dead unless it refutes before the suspicion timeout. */
    SUSPECT,
    /** Declared failed; final for its incarnation, only a higher incarnation revives it. */
    DEAD,
    /** Left gracefully. */
    LEFT;

    /** Stable one-byte code used on the wire. */
    public int code() {
        return ordinal();
    }

    /** Inverse of {@link #code()}; empty for an unknown code. */
    public static java.util.Optional<MemberState> ofCode(int code) {
        MemberState[] all = values();
        return code >= 0 && code < all.length ? java.util.Optional.of(all[code]) : java.util.Optional.empty();
    }

    /** True for states that count as part of the cluster (alive or suspect). */
    public boolean isLive() {
        return this == ALIVE || this == SUSPECT;
    }
}
