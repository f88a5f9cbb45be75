package io.meshd.dns.internal;

import io.meshd.dns.NameNode;
import io.meshd.dns.RecordView;
import io.meshd.dns.ResourceRecord;

/**
 * Decides how to answer a decoded query, in order: REFUSED for a class other than IN and zone transfers; the
 * cluster domain (its apex, the responder's own name, its names, NXDOMAIN and NODATA below it); the mesh's names
 * outside the domain; {@code localhost}; the other locally served zones ({@code invalid}, {@code local}, private
 * reverse zones); and finally forwarding (or SERVFAIL without an upstream). One instance per event-loop thread: it
 * keeps the scratch name of domain-relative lookups, the node it found and the zone it answered for.
 */
final class QueryResolver {

    private static final int CLASS_IN = 1;
    private static final int TYPE_IXFR = 251;
    private static final int TYPE_AXFR = 252;

    private final Responder responder;
    private final byte[] relative = new byte[WireNames.MAX_NAME_LENGTH + 1];
    /** The view as the current query found it: its answer and its additional data come from one state. */
    private RecordView view;
    private NameNode node = NameNode.ABSENT;
    private LocalZone zone;

    QueryResolver(Responder responder) {
        this.responder = responder;
        this.view = responder.view;
    }

    /** The node of the last {@link Decision#RECORDS} decision. */
    NameNode node() {
        return node;
    }

    /** The local zone of the last decision whose negative answer carries its SOA, or null. */
    LocalZone zone() {
        return zone;
    }

    /** Decides the answer to a query that {@link QueryDecoder} accepted. */
    Decision resolve(DecodedQuery query) {
        node = NameNode.ABSENT;
        zone = null;
        view = responder.view.current();
        if (query.qclass != CLASS_IN || query.qtype == TYPE_AXFR || query.qtype == TYPE_IXFR) {
            return Decision.REFUSED;
        }
        byte[] qname = query.qname;
        int length = query.qnameLength;
        if (responder.domain != null && WireNames.isAtOrBelow(qname, length, responder.domain)) {
            return inDomain(query);
        }
        NameNode found = view.find(qname, length);
        if (found.exists() && found != NameNode.EMPTY_NON_TERMINAL) {
            if (answers(found, query.qtype)) {
                node = found;
                return Decision.RECORDS;
            }
            zone = responder.localZone(qname, length);
            if (zone != null) {
                return Decision.NO_DATA;
            }
            // A mesh name outside every local zone without the type: an empty NOERROR, no zone to name.
            node = found;
            return Decision.RECORDS;
        }
        if (SpecialNames.isLocalhost(qname, length)) {
            return Decision.LOCALHOST;
        }
        LocalZone local = responder.localZone(qname, length);
        if (local != null) {
            zone = local;
            if (local.isApex(length)) {
                return apex(local, query.qtype);
            }
            // A mesh PTR below it makes the name an empty non-terminal: NODATA, never NXDOMAIN (RFC 8020).
            return found.exists() ? Decision.NO_DATA : Decision.NAME_ERROR;
        }
        if (found.exists() && SpecialNames.isBelowReverseRoot(qname, length)) {
            // Above a mesh PTR of a public address: ours to say it exists (RFC 8020), with no zone to name.
            return Decision.NO_DATA;
        }
        // Any other empty non-terminal outside the domain is not ours: its name may well exist upstream.
        return responder.forwarding ? Decision.FORWARD : Decision.NO_UPSTREAM;
    }

    /** Names at or below the cluster domain: records are relative to it, so it is stripped before the lookup. */
    private Decision inDomain(DecodedQuery query) {
        LocalZone domain = responder.clusterZone;
        zone = domain;
        if (domain.isApex(query.qnameLength)) {
            return apex(domain, query.qtype);
        }
        if (domain.isServerName(query.qname, query.qnameLength)) {
            return records(domain.server, query.qtype);
        }
        NameNode found = findRelative(query.qname, query.qnameLength);
        if (!found.exists()) {
            return Decision.NAME_ERROR;
        }
        return records(found, query.qtype);
    }

    private Decision apex(LocalZone z, int qtype) {
        return records(z.apex, qtype);
    }

    private Decision records(NameNode found, int qtype) {
        if (!answers(found, qtype)) {
            return Decision.NO_DATA;
        }
        node = found;
        return Decision.RECORDS;
    }

    /** Whether a node has records for the type; ANY is answered with its first RRset (RFC 8482). */
    private static boolean answers(NameNode found, int qtype) {
        return qtype == ResourceRecord.TYPE_ANY ? found.size() > 0 : found.count(qtype) > 0;
    }

    /** Looks a name below the cluster domain up in the view, the domain stripped. */
    private NameNode findRelative(byte[] name, int length) {
        int relativeLength = length - responder.domain.length + 1;
        System.arraycopy(name, 0, relative, 0, relativeLength - 1);
        relative[relativeLength - 1] = 0;
        return view.find(relative, relativeLength);
    }

    /**
     * The node holding the addresses of an SRV or NS target (a lower-case wire name as in the record's RDATA): the
     * responder itself, a mesh name below the cluster domain, or a mesh name as it is; {@link NameNode#ABSENT} when
     * it is none of them. Allocates nothing.
     */
    NameNode target(byte[] name) {
        int length = name.length;
        byte[] domain = responder.domain;
        if (domain != null && WireNames.isAtOrBelow(name, length, domain)) {
            LocalZone z = responder.clusterZone;
            if (z.isServerName(name, length)) {
                return z.server;
            }
            return z.isApex(length) ? NameNode.ABSENT : findRelative(name, length);
        }
        return view.find(name, length);
    }
}
