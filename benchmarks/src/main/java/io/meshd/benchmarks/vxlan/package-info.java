/**
 * JMH benchmarks of the VXLAN core's packet path: encapsulation and decapsulation per frame, forwarding-table
 * lookups, the ARP responder and the switch fabric forwarding a frame from a local port to the uplink. Each runs
 * with {@code -prof gc} to show that the path allocates nothing (0 B/op); frames live in direct memory as they do
 * behind a Netty direct buffer.
 */
package io.meshd.benchmarks.vxlan;
