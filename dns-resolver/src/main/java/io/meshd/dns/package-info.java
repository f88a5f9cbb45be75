/**
 * The embedded DNS responder: answers names from the mesh's records scoped to the querier's networks and
 * forwards everything else to upstream resolvers.
 */
package io.meshd.dns;
