package io.meshd.gossip.alloc;

/**
 * Which of two claimants of one slot keeps it. Must be a strict total order that every member computes alike from
 * the claims alone (never from the order they arrived in), or two members can each believe they won.
 */
@FunctionalInterface
public interface WinnerRule {

    /** The rule meshd uses: the claimant whose name is lowest (UTF-16 order, {@link String#compareTo}) wins. */
    WinnerRule LOWEST_NAME = (rival, self) -> rival.compareTo(self) < 0;

    /** True if {@code rival}'s claim beats {@code self}'s claim of the same slot. */
    boolean beats(String rival, String self);
}
