package io.meshd.gossip;

import java.util.List;

/**
 * What {@link GossipNode#reconcile} did to one table: the keys it wrote again (they exist locally but the table held
 * no version of them by this member, or a different value) and the keys of this member's own entries it deleted
 * (they no longer exist locally). Keys sorted.
 */
public record Reconciliation(List<String> announced, List<String> deleted) {

    /** Copies both lists. */
    public Reconciliation {
        announced = List.copyOf(announced);
        deleted = List.copyOf(deleted);
    }
}
