/**
 * What the gossip protocol needs from its environment: a {@link io.meshd.gossip.spi.PeerChannel} for packets and
 * request/response streams and a single-threaded {@link io.meshd.gossip.spi.Scheduler}. The Netty implementation
 * runs on the real network, the simulator's on virtual time; the protocol code is the same for both.
 */
package io.meshd.gossip.spi;
