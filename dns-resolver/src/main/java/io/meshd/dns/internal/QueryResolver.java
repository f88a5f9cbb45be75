package io.meshd.dns.internal;

import io.meshd.dns.NameNode;
import io.meshd.dns.ResourceRecord;

/**
 * Decides how to answer a decoded query, in order: REFUSED for a class other than IN and zone transfers; the
 * cluster domain (its apex, its names, NXDOMAIN and NODATA below it); the mesh's names outside the domain; the
 * special names; and finally forwarding (or SERVFAIL without an upstream). One instance per event-loop thread: it
 * keeps the scratch name of domain-relative lookups and the node it found.
 */
final class QueryResolver {

    private static final int CLASS_IN = 1;
    private static final int TYPE_IXFR = 251;
    private static final int TYPE_AXFR = 252;

    private final Responder responder;
    private final byte[] relative = new byte[WireNames.MAX_NAME_LENGTH + 1];
    private NameNode node = NameNode.ABSENT;

    QueryResolver(Responder responder) {
        this.responder = responder;
    }

    /** The node of the last {@link Decision#RECORDS} decision. */
    NameNode node() {
        return node;
    }

    /** Decides the answer to a query that {@link QueryDecoder} accepted. */
    Decision resolve(DecodedQuery query) {
        node = NameNode.ABSENT;
        if (query.qclass != CLASS_IN || query.qtype == TYPE_AXFR || query.qtype == TYPE_IXFR) {
            return Decision.REFUSED;
        }
        if (responder.domain != null && WireNames.isAtOrBelow(query.qname, query.qnameLength, responder.domain)) {
            return inDomain(query);
        }
        NameNode found = responder.view.find(query.qname, query.qnameLength);
        // Outside the domain an empty non-terminal is not ours: its name may well exist upstream.
        if (found.exists() && found != NameNode.EMPTY_NON_TERMINAL) {
            node = found;
            return Decision.RECORDS;
        }
        switch (SpecialNames.classify(query.qname, query.qnameLength)) {
            case SpecialNames.LOCALHOST:
                return Decision.LOCALHOST;
            case SpecialNames.NONEXISTENT:
                return Decision.SPECIAL_NAME_ERROR;
            case SpecialNames.EMPTY_ZONE_APEX:
                return Decision.EMPTY_ZONE_APEX;
            default:
                return responder.forwarding ? Decision.FORWARD : Decision.NO_UPSTREAM;
        }
    }

    /** Names at or below the cluster domain: records are relative to it, so it is stripped before the lookup. */
    private Decision inDomain(DecodedQuery query) {
        int relativeLength = query.qnameLength - responder.domain.length + 1;
        if (relativeLength == 1) {
            return query.qtype == ResourceRecord.TYPE_SOA || query.qtype == ResourceRecord.TYPE_ANY
                ? Decision.APEX_SOA : Decision.NO_DATA;
        }
        System.arraycopy(query.qname, 0, relative, 0, relativeLength - 1);
        relative[relativeLength - 1] = 0;
        NameNode found = responder.view.find(relative, relativeLength);
        if (!found.exists()) {
            return Decision.NAME_ERROR;
        }
        // ANY is answered with the name's first RRset (RFC 8482), so it needs a record of any type.
        boolean answers = query.qtype == ResourceRecord.TYPE_ANY ? found.size() > 0 : found.count(query.qtype) > 0;
        if (!answers) {
            return Decision.NO_DATA;
        }
        node = found;
        return Decision.RECORDS;
    }
}
