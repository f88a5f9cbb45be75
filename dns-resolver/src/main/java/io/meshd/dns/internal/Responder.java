package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.RecordView;
import io.meshd.dns.ResourceRecord;
import java.util.Optional;

/**
 * What every query processor of one listener shares: the view of the names, the cluster domain and its SOA, the
 * UDP payload limit and the counters. Immutable.
 */
public final class Responder {

    final RecordView view;
    final byte[] domain;
    final ResourceRecord soa;
    final int maxUdpPayload;
    final boolean forwarding;
    final int localTtl;
    final DnsCounters counters;

    /**
     * @param view the names visible to this listener's queriers
     * @param domain the cluster domain in wire form, if any; the responder is authoritative below it
     * @param soa the SOA of the cluster domain (used when a domain is set)
     * @param maxUdpPayload the largest UDP answer we send, whatever the client advertises (at least 512)
     * @param forwarding whether unknown names are forwarded (else they get SERVFAIL)
     * @param localTtl the TTL of locally synthesised answers such as {@code localhost}
     * @param counters where to count
     */
    public Responder(RecordView view, Optional<byte[]> domain, ResourceRecord soa, int maxUdpPayload,
                     boolean forwarding, int localTtl, DnsCounters counters) {
        this.view = view;
        this.domain = domain.orElse(null);
        this.soa = soa;
        this.maxUdpPayload = Math.max(512, Math.min(65535, maxUdpPayload));
        this.forwarding = forwarding;
        this.localTtl = localTtl;
        this.counters = counters;
    }

    /** The counters. */
    public DnsCounters counters() {
        return counters;
    }
}
