package io.meshd.dns.internal;

import io.meshd.dns.NameNode;
import io.meshd.dns.ResourceRecord;
import java.util.List;

/**
 * A zone the responder serves itself and never forwards: the cluster domain, {@code invalid}, {@code local} and the
 * locally served reverse zones (RFC 6303). Its apex answers SOA and NS; NXDOMAIN and NODATA below it carry its SOA
 * in the authority section with TTL min(SOA TTL, SOA MINIMUM) so resolvers can cache them (RFC 2308 sections 3
 * and 5). The cluster domain also knows the responder's own name (the SOA's MNAME, the NS target) and its addresses.
 * Immutable; built once per {@link Responder}.
 */
final class LocalZone {

    /** The zone's name, lower-case wire form. */
    final byte[] name;
    /** The zone's SOA, owned by {@link #name}. */
    final ResourceRecord soa;
    /** The TTL of the SOA in negative answers: min(SOA TTL, SOA MINIMUM) (RFC 2308 section 3). */
    final int negativeTtl;
    /** The apex's records: the SOA, then the NS. */
    final NameNode apex;
    /** The responder's own name (lower-case wire form), or null when the zone does not hold it. */
    final byte[] serverName;
    /** The A and AAAA records of {@link #serverName}. */
    final NameNode server;

    LocalZone(byte[] name, ResourceRecord soa, ResourceRecord ns, byte[] serverName, List<ResourceRecord> server) {
        this.name = name;
        this.soa = soa;
        this.negativeTtl = Math.min(soa.ttl(), minimum(soa));
        this.apex = NameNode.of(List.of(soa, ns));
        this.serverName = serverName;
        this.server = serverName == null ? NameNode.ABSENT : NameNode.of(server);
    }

    /** The SOA's MINIMUM field, the last four bytes of its RDATA. */
    static int minimum(ResourceRecord soa) {
        byte[] tail = soa.rdataTail();
        int at = tail.length - 4;
        return ((tail[at] & 0xFF) << 24) | ((tail[at + 1] & 0xFF) << 16) | ((tail[at + 2] & 0xFF) << 8)
            | (tail[at + 3] & 0xFF);
    }

    /** Whether a lower-case wire name is this zone's apex. */
    boolean isApex(int nameLength) {
        return nameLength == name.length;
    }

    /** Whether a lower-case wire name is the responder's own name in this zone. */
    boolean isServerName(byte[] qname, int length) {
        return serverName != null && length == serverName.length
            && java.util.Arrays.equals(serverName, 0, length, qname, 0, length);
    }
}
