/**
 * The composition root: {@link io.meshd.Mesh}, the embedding facade that wires gossip, the overlay, the load
 * balancer and the DNS responder together (docs/mesh.md), with its {@link io.meshd.MeshOptions} and
 * {@link io.meshd.MeshEvent}s.
 */
package io.meshd;
