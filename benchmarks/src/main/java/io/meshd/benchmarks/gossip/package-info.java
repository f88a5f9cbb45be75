/**
 * JMH benchmarks of gossip: the compound-packet codec and the piggyback broadcast queue.
 */
package io.meshd.benchmarks.gossip;
