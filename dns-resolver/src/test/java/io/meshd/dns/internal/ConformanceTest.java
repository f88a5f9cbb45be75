package io.meshd.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Fixtures;
import io.meshd.dns.RecordView;
import io.meshd.dns.ResourceRecord;
import io.meshd.dns.Wire;
import io.meshd.dns.records.InMemoryRecordSource;
import io.meshd.dns.records.MeshEndpoint;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.MeshService;
import io.meshd.dns.records.PublishedPort;
import io.meshd.dns.records.ServiceMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The protocol rules a recursive resolver and glibc rely on, one test per RFC section, each asserting the rule on
 * the bytes the query path writes (decoded by Netty's codec-dns where it can).
 */
class ConformanceTest {

    /** The cluster domain's SOA as DnsServer builds it: TTL 300 above its MINIMUM (negative TTL) 30. */
    private static final ResourceRecord SOA = ResourceRecord.soa("ns.mesh", "hostmaster.mesh", 1, 3600, 600, 86400,
        30, 300);

    private final DnsCounters counters = new DnsCounters();
    private final ByteBuf out = Unpooled.buffer();

    @AfterEach
    void release() {
        out.release();
    }

    private static Responder responder(RecordView view, boolean forwarding) {
        return new Responder(view, Optional.of(WireNames.toWire("mesh")), SOA, 1232, forwarding, 600,
            new DnsCounters(), List.of(Fixtures.ip("127.0.0.11")));
    }

    private final QueryProcessor processor = new QueryProcessor(responder(Fixtures.source().view(Set.of("front")),
        true));

    private QueryOutcome handle(QueryProcessor p, ByteBuf in, boolean tcp) {
        out.clear();
        try {
            return p.handle(in, out, tcp);
        } finally {
            in.release();
        }
    }

    private void withAnswer(QueryProcessor p, Wire.Query query, boolean tcp, Consumer<DnsResponse> check) {
        assertEquals(QueryOutcome.ANSWERED, handle(p, query.buf(), tcp));
        DnsResponse r = Wire.decode(out);
        try {
            check.accept(r);
        } finally {
            r.release();
        }
    }

    private void withAnswer(Wire.Query query, Consumer<DnsResponse> check) {
        withAnswer(processor, query, false, check);
    }

    /** NOERROR or NXDOMAIN, no answer, and exactly the zone's SOA in authority with the negative TTL. */
    private static void assertNegative(DnsResponse r, int rcode, String zone, String what) {
        assertEquals(rcode, r.code().intValue(), what);
        assertEquals(0, r.count(DnsSection.ANSWER), what);
        assertTrue(r.isAuthoritativeAnswer(), what);
        assertEquals(1, r.count(DnsSection.AUTHORITY), what);
        DnsRecord soa = r.recordAt(DnsSection.AUTHORITY, 0);
        assertEquals(DnsRecordType.SOA, soa.type(), what);
        assertTrue(zone.equalsIgnoreCase(soa.name()), what + ": SOA owner " + soa.name());
        assertEquals(30, soa.timeToLive(), what + ": min(SOA TTL, SOA MINIMUM)");
    }

    @Test
    @DisplayName("RFC 8020: names above a PTR in a reverse zone exist (NODATA), so QNAME minimisation reaches the PTR")
    void rfc8020IntermediateReverseNameIsNoDataNotNxdomain() {
        // The PTR 3.1.0.10.in-addr.arpa exists (web.1); the names a minimising resolver asks on its way down:
        for (String name : List.of("0.10.in-addr.arpa", "1.0.10.in-addr.arpa")) {
            for (int type : new int[] {ResourceRecord.TYPE_A, ResourceRecord.TYPE_NS, ResourceRecord.TYPE_PTR}) {
                withAnswer(Wire.query(name, type), r -> assertNegative(r, 0, "10.in-addr.arpa.", name + " " + type));
            }
        }
        // fd00::3, nibble by nibble under d.f.ip6.arpa.
        String v6 = WireNames.reverseName(Fixtures.ip("fd00::3"));
        String upper = v6.substring(v6.indexOf("0.0.0.0.d.f.ip6.arpa"));
        withAnswer(Wire.query(upper, ResourceRecord.TYPE_PTR), r -> assertNegative(r, 0, "d.f.ip6.arpa.", upper));
        // A sibling with nothing below it is still NXDOMAIN, and the PTR itself still answers.
        withAnswer(Wire.query("200.1.0.10.in-addr.arpa", 12),
            r -> assertNegative(r, 3, "10.in-addr.arpa.", "200.1.0.10"));
        withAnswer(Wire.query("3.1.0.10.in-addr.arpa", 12), r -> assertEquals(1, r.count(DnsSection.ANSWER)));
    }

    @Test
    @DisplayName("RFC 8020: empty non-terminals of the cluster domain are NODATA, never NXDOMAIN")
    void rfc8020EmptyNonTerminalsInTheClusterDomainAreNoData() {
        for (String name : List.of("front.mesh", "_tcp.web.mesh", "1.front.mesh", "_tcp.web.front.mesh")) {
            withAnswer(Wire.query(name, ResourceRecord.TYPE_A), r -> assertNegative(r, 0, "mesh.", name));
        }
    }

    @Test
    @DisplayName("RFC 2181 5.2: every record of an RRset carries the same TTL (the lowest of its sources)")
    void rfc2181Section52RecordsOfOneRrsetShareOneTtl() {
        // Two tasks of one service with different TTLs: tasks.api is one RRset built from both.
        List<MeshEndpoint> endpoints = List.of(
            new MeshEndpoint("api.1", List.of(), List.of(Fixtures.ip("10.0.5.1")), List.of("api"), 30),
            new MeshEndpoint("api.2", List.of(), List.of(Fixtures.ip("10.0.5.2")), List.of("api"),
                MeshNetwork.DEFAULT_TTL));
        MeshNetwork net = new MeshNetwork("front", endpoints, List.of(new MeshService("api", ServiceMode.DNSRR,
            List.of(), List.of(), MeshNetwork.DEFAULT_TTL)));
        QueryProcessor p = new QueryProcessor(responder(InMemoryRecordSource.builder().domain("mesh")
            .networks(List.of(net)).build().view(Set.of("front")), false));
        for (String name : List.of("tasks.api", "api", "api.front.mesh")) {
            withAnswer(p, Wire.query(name, ResourceRecord.TYPE_A), false, r -> {
                assertEquals(2, r.count(DnsSection.ANSWER), name);
                for (int i = 0; i < 2; i++) {
                    assertEquals(30, r.recordAt(DnsSection.ANSWER, i).timeToLive(), name);
                }
            });
        }
    }

    @Test
    @DisplayName("RFC 3225 3: the DO bit of the query is copied into the response's OPT")
    void rfc3225DoBitIsCopiedIntoTheResponseOpt() {
        assertEquals(QueryOutcome.ANSWERED, handle(processor, Wire.query("web", 1).edns(1232).dnssecOk().buf(), false));
        assertEquals(0x8000, Wire.optTtl(out) & 0x8000);
        assertEquals(QueryOutcome.ANSWERED, handle(processor, Wire.query("nope.mesh", 1).edns(1232).dnssecOk().buf(),
            false));
        assertEquals(0x8000, Wire.optTtl(out) & 0x8000, "negative answers too");
        assertEquals(QueryOutcome.ANSWERED, handle(processor, Wire.query("web", 1).edns(1232).buf(), false));
        assertEquals(0, Wire.optTtl(out) & 0x8000, "not set when the query did not set it");
    }

    @Test
    @DisplayName("RFC 6891 7: error responses to a query with OPT carry OPT (FORMERR, SERVFAIL, REFUSED, NOTIMP, "
        + "NXDOMAIN)")
    void rfc6891Section7ErrorResponsesToAQueryWithOptCarryOpt() {
        QueryProcessor noUpstream = new QueryProcessor(responder(Fixtures.source().view(Set.of("front")), false));
        Map<String, ByteBuf> queries = new HashMap<>();
        queries.put("NOTIMP", Wire.query("web", 1).flags(4 << 11).edns(1232).buf());
        queries.put("FORMERR (pointer in the question)", Unpooled.wrappedBuffer(pointerQuestionWithOpt()));
        queries.put("REFUSED", Wire.query("version.bind", 16).klass(3).edns(1232).buf());
        queries.put("NXDOMAIN", Wire.query("nope.mesh", 1).edns(1232).buf());
        queries.put("NXDOMAIN (invalid)", Wire.query("x.invalid", 1).edns(1232).buf());
        queries.put("SERVFAIL", Wire.query("example.com", 1).edns(1232).buf());
        int[] rcodes = {4, 1, 5, 3, 3, 2};
        String[] names = {"NOTIMP", "FORMERR (pointer in the question)", "REFUSED", "NXDOMAIN", "NXDOMAIN (invalid)",
            "SERVFAIL"};
        for (int i = 0; i < names.length; i++) {
            assertEquals(QueryOutcome.ANSWERED, handle(noUpstream, queries.get(names[i]), false), names[i]);
            assertEquals(rcodes[i], out.getUnsignedShort(2) & 0xF, names[i]);
            Wire.checkStructure(out);
            assertNotEquals(-1, Wire.optTtl(out), names[i] + " carries OPT");
        }
        // Our SERVFAIL for a forwarded query that failed upstream, too.
        ByteBuf forwarded = Wire.query("example.com", 1).edns(1232).buf();
        out.clear();
        processor.respond(forwarded, out, false, io.meshd.dns.Rcode.SERVFAIL, false);
        forwarded.release();
        assertNotEquals(-1, Wire.optTtl(out));
    }

    /** A query for a name that is a compression pointer (FORMERR in a question), with an OPT after it. */
    private static byte[] pointerQuestionWithOpt() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1});
        b.writeBytes(new byte[] {(byte) 0xC0, 0x0C, 0, 1, 0, 1});
        b.writeBytes(new byte[] {0, 0, 41, 0x04, (byte) 0xD0, 0, 0, 0, 0, 0, 0});
        return b.toByteArray();
    }

    @Test
    @DisplayName("RFC 2308 5 / RFC 6303 3: local NXDOMAIN and NODATA carry the zone's SOA, TTL min(TTL, MINIMUM)")
    void rfc2308Section5LocalNegativeAnswersCarryTheZoneSoa() {
        withAnswer(Wire.query("9.9.9.10.in-addr.arpa", 12), r -> assertNegative(r, 3, "10.in-addr.arpa.", "v4"));
        withAnswer(Wire.query("4.3.20.172.in-addr.arpa", 12), r -> assertNegative(r, 3, "20.172.in-addr.arpa.",
            "172.20"));
        withAnswer(Wire.query("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa", 1),
            r -> assertNegative(r, 0, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa.",
                "::1 apex, type A: NODATA"));
        withAnswer(Wire.query("x.invalid", 1), r -> assertNegative(r, 3, "invalid.", "invalid"));
        withAnswer(Wire.query("nope.mesh", 1), r -> assertNegative(r, 3, "mesh.", "domain NXDOMAIN"));
        withAnswer(Wire.query("web.2.mesh", 28), r -> assertNegative(r, 0, "mesh.", "domain NODATA"));
        // A mesh PTR name asked for another type is NODATA in its locally served zone.
        withAnswer(Wire.query("3.1.0.10.in-addr.arpa", 1), r -> assertNegative(r, 0, "10.in-addr.arpa.", "PTR/A"));
    }

    @Test
    @DisplayName("RFC 6303 3 / RFC 1035 4.3.2: locally served zones answer SOA and NS at their apex")
    void rfc6303Section3ZonesAnswerSoaAndNsAtTheirApex() {
        for (String zone : List.of("10.in-addr.arpa", "168.192.in-addr.arpa", "d.f.ip6.arpa", "invalid", "mesh")) {
            withAnswer(Wire.query(zone, ResourceRecord.TYPE_SOA), r -> {
                assertEquals(0, r.code().intValue(), zone);
                assertEquals(1, r.count(DnsSection.ANSWER), zone);
                assertEquals(DnsRecordType.SOA, r.recordAt(DnsSection.ANSWER, 0).type(), zone);
                assertEquals(zone + ".", r.recordAt(DnsSection.ANSWER, 0).name(), zone);
            });
            withAnswer(Wire.query(zone, ResourceRecord.TYPE_NS), r -> {
                assertEquals(0, r.code().intValue(), zone);
                assertEquals(1, r.count(DnsSection.ANSWER), zone);
                assertEquals(DnsRecordType.NS, r.recordAt(DnsSection.ANSWER, 0).type(), zone);
            });
            withAnswer(Wire.query(zone, ResourceRecord.TYPE_A), r -> assertNegative(r, 0, zone + ".", zone + " A"));
        }
    }

    @Test
    @DisplayName("RFC 2308 5 / RFC 1035 3.3.13: the cluster domain's NS names the SOA's MNAME, which resolves")
    void rfc2308Section5ClusterDomainApexHasNsAndTheSoaServerNameResolves() {
        withAnswer(Wire.query("mesh", ResourceRecord.TYPE_NS), r -> {
            assertEquals("ns.mesh.", nsTarget(r.recordAt(DnsSection.ANSWER, 0)));
            // The server's address comes with it in the additional section.
            assertEquals(1, r.count(DnsSection.ADDITIONAL));
            assertEquals("ns.mesh.", r.recordAt(DnsSection.ADDITIONAL, 0).name());
        });
        withAnswer(Wire.query("ns.mesh", ResourceRecord.TYPE_A), r -> {
            assertEquals(0, r.code().intValue());
            assertTrue(r.isAuthoritativeAnswer());
            assertEquals(List.of("127.0.0.11"), Wire.addresses(r));
        });
        withAnswer(Wire.query("ns.mesh", ResourceRecord.TYPE_AAAA), r -> assertNegative(r, 0, "mesh.", "ns AAAA"));
    }

    private static String nsTarget(DnsRecord ns) {
        assertEquals(DnsRecordType.NS, ns.type());
        ByteBuf c = ((DnsRawRecord) ns).content();
        return io.netty.handler.codec.dns.DefaultDnsRecordDecoder.decodeName(c.duplicate());
    }

    /** A dnsrr service with a published port and eight tasks, each with an IPv4 and an IPv6 address. */
    private static QueryProcessor srvProcessor() {
        List<MeshEndpoint> tasks = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            tasks.add(new MeshEndpoint("api." + i, List.of(), List.of(Fixtures.ip("10.0.5." + i),
                Fixtures.ip("fd00::5:" + i)), List.of("api"), MeshNetwork.DEFAULT_TTL));
        }
        MeshNetwork net = new MeshNetwork("front", tasks, List.of(new MeshService("api", ServiceMode.DNSRR,
            List.of(), List.of(new PublishedPort("http", 80, "tcp")), MeshNetwork.DEFAULT_TTL)));
        return new QueryProcessor(responder(InMemoryRecordSource.builder().domain("mesh").networks(List.of(net))
            .build().view(Set.of("front")), false));
    }

    @Test
    @DisplayName("RFC 2782: SRV answers carry the targets' A/AAAA in the additional section")
    void rfc2782SrvAnswersCarryTheTargetsAddressesInAdditional() {
        withAnswer(Wire.query("_http._tcp.web", ResourceRecord.TYPE_SRV), r -> {
            assertEquals(1, r.count(DnsSection.ANSWER));
            assertEquals(1, r.count(DnsSection.ADDITIONAL));
            DnsRecord glue = r.recordAt(DnsSection.ADDITIONAL, 0);
            assertEquals("web.front.mesh.", glue.name());
            assertEquals(DnsRecordType.A, glue.type());
        });
        // Over TCP every target's A and AAAA come along.
        withAnswer(srvProcessor(), Wire.query("_http._tcp.api", ResourceRecord.TYPE_SRV), true, r -> {
            assertEquals(8, r.count(DnsSection.ANSWER));
            assertEquals(16, r.count(DnsSection.ADDITIONAL));
            Set<String> owners = new HashSet<>();
            for (int i = 0; i < 16; i++) {
                owners.add(r.recordAt(DnsSection.ADDITIONAL, i).name());
            }
            assertEquals(8, owners.size());
        });
    }

    @Test
    @DisplayName("RFC 2782 / RFC 2181 9: additional records that do not fit are left out, never setting TC")
    void rfc2782AdditionalRecordsAreDroppedBeforeTruncating() {
        withAnswer(srvProcessor(), Wire.query("_http._tcp.api", ResourceRecord.TYPE_SRV), false, r -> {
            assertFalse(r.isTruncated());
            assertEquals(8, r.count(DnsSection.ANSWER));
            int additional = r.count(DnsSection.ADDITIONAL);
            assertTrue(additional < 16, "not everything fits 512 bytes: " + additional);
            // Whole RRsets only: each target that is there has both its A and its AAAA.
            Map<String, Integer> perOwner = new HashMap<>();
            for (int i = 0; i < additional; i++) {
                perOwner.merge(r.recordAt(DnsSection.ADDITIONAL, i).name(), 1, Integer::sum);
            }
            perOwner.values().forEach(n -> assertEquals(2, n, perOwner.toString()));
        });
        assertTrue(out.readableBytes() <= 512, out.readableBytes() + " bytes");
    }

    @Test
    @DisplayName("RFC 6762 22.1: names under local. are answered NXDOMAIN, never sent upstream")
    void rfc6762Section22Point1LocalNamesAreNeverForwarded() {
        for (String name : List.of("printer.local", "_ipp._tcp.local", "A.B.LOCAL")) {
            withAnswer(Wire.query(name, ResourceRecord.TYPE_A), r -> assertNegative(r, 3, "local.", name));
        }
    }
}
