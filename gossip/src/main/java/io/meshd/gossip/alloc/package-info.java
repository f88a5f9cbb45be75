/**
 * Allocation without a central allocator, over a cluster-scoped gossip table: {@link
 * io.meshd.gossip.alloc.BlockAllocator} claims numbered slots (per-node address blocks, VNIs) with a deterministic
 * winner, and a loser re-picks; docs/gossip.md states the method and its limits.
 */
package io.meshd.gossip.alloc;
