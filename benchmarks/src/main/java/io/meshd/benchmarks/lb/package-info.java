/**
 * JMH benchmarks of the load balancer: Maglev lookups on the packet path (goal ≤ 10 ns, 0 B/op) and table builds
 * off it (goal ≤ 2 ms at 1,000 backends, M = 65537).
 */
package io.meshd.benchmarks.lb;
