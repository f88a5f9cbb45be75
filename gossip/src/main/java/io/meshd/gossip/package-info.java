/**
 * SWIM membership with the Lifeguard refinements, and replicated last-writer-wins tables that carry the
 * cluster's state to every node.
 */
package io.meshd.gossip;
