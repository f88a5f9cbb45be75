/**
 * The embedded DNS responder: {@link io.meshd.dns.DnsServer} answers names from a {@link io.meshd.dns.RecordSource}
 * scoped to the querier's networks over UDP and TCP, is authoritative under an optional cluster domain, and forwards
 * everything else to upstream resolvers. One server serves many network namespaces at 127.0.0.11:53, attached and
 * detached at run time. Protocol details, the naming scheme and the figures are in docs/dns.md.
 */
package io.meshd.dns;
