/**
 * JMH benchmarks of the packet path, the load balancer, the DNS codec and the gossip codec.
 */
package io.meshd.benchmarks;
