/**
 * A deterministic discrete-event simulator that runs the real gossip protocol on a virtual-time network with loss,
 * delay, partitions, slow and paused hosts, crashes and restarts; {@link io.meshd.gossip.sim.Simulation} is the
 * scenario behind {@code meshd simulate}. A run is a pure function of its seed.
 */
package io.meshd.gossip.sim;
