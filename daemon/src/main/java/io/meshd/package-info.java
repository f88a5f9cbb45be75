/**
 * The composition root: the embedding facade that wires gossip, the overlay, the load balancer and the DNS
 * responder together.
 */
package io.meshd;
