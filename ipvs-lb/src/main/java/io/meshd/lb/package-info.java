/**
 * Stateless virtual-IP load balancing: Maglev consistent hashing over service backends, NAT on frames and the
 * published-port proxy of the routing mesh.
 */
package io.meshd.lb;
