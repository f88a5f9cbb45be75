/**
 * Cluster membership and replicated state for meshd: SWIM failure detection with Lifeguard's refinements,
 * infection-style dissemination, push-pull anti-entropy with automatic partition heal, and last-writer-wins
 * replicated tables whose entries disappear with their owner. Start at {@link io.meshd.gossip.GossipNode} and
 * {@link io.meshd.gossip.GossipConfig}; docs/gossip.md explains the design and every default.
 */
package io.meshd.gossip;
