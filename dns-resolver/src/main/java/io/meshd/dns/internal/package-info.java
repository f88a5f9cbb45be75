/**
 * The responder's machinery, not API: the query processor that parses a query from its bytes and writes the answer
 * (name compression, truncation, EDNS0) without allocating, the name table it looks names up in, the UDP and TCP
 * handlers, and the forwarder that relays unknown names to upstream resolvers with fresh random ports and IDs.
 */
package io.meshd.dns.internal;
