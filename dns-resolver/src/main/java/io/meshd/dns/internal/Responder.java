package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.RecordView;
import io.meshd.dns.ResourceRecord;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
    /** The cluster domain as a zone, or null without a domain. */
    final LocalZone clusterZone;
    /** The zones of {@link SpecialNames#ZONES}, in that order. */
    final LocalZone[] localZones;

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
        this(view, domain, soa, maxUdpPayload, forwarding, localTtl, counters, List.of());
    }

    /**
     * @param view the names visible to this listener's queriers
     * @param domain the cluster domain in wire form, if any; the responder is authoritative below it
     * @param soa the SOA of the cluster domain (used when a domain is set); its MNAME is the responder's own name
     * @param maxUdpPayload the largest UDP answer we send, whatever the client advertises (at least 512)
     * @param forwarding whether unknown names are forwarded (else they get SERVFAIL)
     * @param localTtl the TTL of locally synthesised answers such as {@code localhost}
     * @param counters where to count
     * @param serverAddresses the responder's own addresses (its listen addresses): the A and AAAA records of the
     *                        SOA's MNAME, the target of the cluster domain's NS record
     */
    public Responder(RecordView view, Optional<byte[]> domain, ResourceRecord soa, int maxUdpPayload,
                     boolean forwarding, int localTtl, DnsCounters counters, List<InetAddress> serverAddresses) {
        this.view = view;
        this.domain = domain.orElse(null);
        this.soa = soa;
        this.maxUdpPayload = Math.max(512, Math.min(65535, maxUdpPayload));
        this.forwarding = forwarding;
        this.localTtl = localTtl;
        this.counters = counters;
        int negativeTtl = Math.min(soa.ttl(), LocalZone.minimum(soa));
        if (this.domain != null) {
            byte[] mname = soa.rdataNames()[0];
            List<ResourceRecord> addresses = new ArrayList<>();
            for (InetAddress a : serverAddresses) {
                addresses.add(a instanceof Inet4Address ? ResourceRecord.a((Inet4Address) a, localTtl)
                    : ResourceRecord.aaaa((Inet6Address) a, localTtl));
            }
            this.clusterZone = new LocalZone(this.domain, soa, ResourceRecord.ns(WireNames.toDotted(mname, 0),
                localTtl), mname, addresses);
        } else {
            this.clusterZone = null;
        }
        this.localZones = new LocalZone[SpecialNames.ZONES.size()];
        for (int i = 0; i < localZones.length; i++) {
            // RFC 6303 section 3's SOA (MNAME the zone, RNAME nobody.invalid), with the cluster domain's negative
            // TTL instead of 3 hours: a private range the mesh does not know today may hold an endpoint tomorrow.
            String zone = SpecialNames.ZONES.get(i);
            ResourceRecord zoneSoa = ResourceRecord.soa(zone, "nobody.invalid", 1, 3600, 1200, 604800, negativeTtl,
                negativeTtl);
            localZones[i] = new LocalZone(WireNames.toWire(zone), zoneSoa, ResourceRecord.ns(zone, localTtl), null,
                List.of());
        }
    }

    /**
     * The responder's own addresses for {@code serverAddresses}: the listen addresses' IPs, a wildcard as the
     * loopback address of its family.
     */
    public static List<InetAddress> ownAddresses(List<InetSocketAddress> listen) {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (InetSocketAddress a : listen) {
            InetAddress ip = a.getAddress();
            if (ip.isAnyLocalAddress()) {
                byte[] loopback = new byte[ip.getAddress().length];
                if (loopback.length == 4) {
                    loopback[0] = 127;
                }
                loopback[loopback.length - 1] = 1;
                try {
                    ip = InetAddress.getByAddress(loopback);
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
            addresses.add(ip);
        }
        return List.copyOf(addresses);
    }

    /** The locally served zone a lower-case wire name is in, or null. */
    LocalZone localZone(byte[] name, int length) {
        int i = SpecialNames.zoneIndex(name, length);
        return i < 0 ? null : localZones[i];
    }

    /** The counters. */
    public DnsCounters counters() {
        return counters;
    }
}
