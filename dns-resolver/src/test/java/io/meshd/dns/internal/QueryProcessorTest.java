package io.meshd.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Fixtures;
import io.meshd.dns.QueryType;
import io.meshd.dns.Rcode;
import io.meshd.dns.ResourceRecord;
import io.meshd.dns.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryProcessorTest {

    private final DnsCounters counters = new DnsCounters();
    private final Responder responder = new Responder(Fixtures.source().view(Set.of("front")),
        Optional.of(WireNames.toWire("mesh")), ResourceRecord.soa("ns.mesh", "hostmaster.mesh", 1, 3600, 600,
        86400, 30, 30), 1232, true, 600, counters);
    private final QueryProcessor processor = new QueryProcessor(responder);
    private final ByteBuf out = Unpooled.buffer();

    @AfterEach
    void release() {
        out.release();
    }

    private QueryOutcome handle(Wire.Query query, boolean tcp) {
        out.clear();
        ByteBuf in = query.buf();
        try {
            return processor.handle(in, out, tcp);
        } finally {
            in.release();
        }
    }

    private DnsResponse answer(Wire.Query query) {
        return answer(query, false);
    }

    private DnsResponse answer(Wire.Query query, boolean tcp) {
        assertEquals(QueryOutcome.ANSWERED, handle(query, tcp));
        return Wire.decode(out);
    }

    private void withAnswer(Wire.Query query, Consumer<DnsResponse> check) {
        DnsResponse r = answer(query);
        try {
            check.accept(r);
        } finally {
            r.release();
        }
    }

    @Test
    void shouldAnswerServiceNameWithItsVip() {
        withAnswer(Wire.query("web", 1), r -> {
            assertEquals(0, r.code().intValue());
            assertEquals(List.of("10.0.1.2"), Wire.addresses(r));
            assertTrue(r.isAuthoritativeAnswer());
            assertTrue(r.isRecursionDesired());
            assertEquals(600, r.recordAt(DnsSection.ANSWER, 0).timeToLive());
        });
    }

    @Test
    void shouldAnswerTasksNameWithEveryTask() {
        withAnswer(Wire.query("tasks.web", 1),
            r -> assertEquals(Set.of("10.0.1.3", "10.0.1.4"), new HashSet<>(Wire.addresses(r))));
    }

    @Test
    void shouldAnswerNetworkSuffixedAndDomainQualifiedNames() {
        withAnswer(Wire.query("web.front", 1), r -> assertEquals(List.of("10.0.1.2"), Wire.addresses(r)));
        withAnswer(Wire.query("tasks.web.front.mesh", 1),
            r -> assertEquals(Set.of("10.0.1.3", "10.0.1.4"), new HashSet<>(Wire.addresses(r))));
        withAnswer(Wire.query("web.1.front.mesh", 28), r -> assertEquals(List.of("fd00:0:0:0:0:0:0:3"),
            Wire.addresses(r)));
    }

    @Test
    void shouldAnswerAliasWithItsLowerTtl() {
        withAnswer(Wire.query("database", 1), r -> {
            assertEquals(List.of("10.0.1.9"), Wire.addresses(r));
            assertEquals(30, r.recordAt(DnsSection.ANSWER, 0).timeToLive());
        });
    }

    @Test
    void shouldMatchWithoutCaseAndEchoTheQuestionAsSent() {
        withAnswer(Wire.query("WeB.FrOnT", 1), r -> {
            assertEquals("WeB.FrOnT.", r.recordAt(DnsSection.QUESTION).name());
            assertEquals(List.of("10.0.1.2"), Wire.addresses(r));
        });
    }

    @Test
    void shouldAnswerEmptyNoerrorForKnownNameWithoutTheType() {
        withAnswer(Wire.query("web.2", 28), r -> {
            assertEquals(0, r.code().intValue());
            assertEquals(0, r.count(DnsSection.ANSWER));
            assertEquals(0, r.count(DnsSection.AUTHORITY));
        });
    }

    @Test
    void shouldAnswerPtrForMeshAddresses() {
        withAnswer(Wire.query("3.1.0.10.in-addr.arpa", 12), r -> {
            DnsRecord ptr = r.recordAt(DnsSection.ANSWER, 0);
            assertEquals(DnsRecordType.PTR, ptr.type());
            assertEquals("web.1.front.mesh.", ((DnsPtrRecord) ptr).hostname());
        });
        withAnswer(Wire.query("2.1.0.10.in-addr.arpa", 12),
            r -> assertEquals("web.front.mesh.", ((DnsPtrRecord) r.recordAt(DnsSection.ANSWER, 0)).hostname()));
    }

    @Test
    void shouldAnswerSrvByPortNameAndNumber() {
        for (String name : List.of("_http._tcp.web", "_80._tcp.web.front", "_http._tcp.web.front.mesh")) {
            withAnswer(Wire.query(name, 33), r -> {
                assertEquals(1, r.count(DnsSection.ANSWER), name);
                ByteBuf rdata = ((io.netty.handler.codec.dns.DnsRawRecord) r.recordAt(DnsSection.ANSWER, 0))
                    .content();
                assertEquals(80, rdata.getUnsignedShort(rdata.readerIndex() + 4));
                // The target is never compressed (RFC 2782): it is spelled out in full.
                byte[] target = WireNames.toWire("web.front.mesh");
                assertEquals(ByteBufUtil.hexDump(target), ByteBufUtil.hexDump(rdata, rdata.readerIndex() + 6,
                    target.length));
            });
        }
    }

    @Test
    void shouldAnswerNxdomainWithSoaInsideTheDomain() {
        withAnswer(Wire.query("nope.mesh", 1), r -> {
            assertEquals(3, r.code().intValue());
            assertTrue(r.isAuthoritativeAnswer());
            assertEquals(1, r.count(DnsSection.AUTHORITY));
            DnsRecord soa = r.recordAt(DnsSection.AUTHORITY, 0);
            assertEquals(DnsRecordType.SOA, soa.type());
            assertEquals("mesh.", soa.name());
            assertEquals(30, soa.timeToLive());
        });
    }

    @Test
    void shouldAnswerNodataWithSoaInsideTheDomain() {
        withAnswer(Wire.query("web.2.mesh", 28), r -> {
            assertEquals(0, r.code().intValue());
            assertEquals(0, r.count(DnsSection.ANSWER));
            assertEquals(DnsRecordType.SOA, r.recordAt(DnsSection.AUTHORITY, 0).type());
        });
    }

    @Test
    void shouldAnswerNoerrorForEmptyNonTerminals() {
        for (String name : List.of("front.mesh", "_tcp.web.mesh", "1.front.mesh")) {
            withAnswer(Wire.query(name, 1), r -> {
                assertEquals(0, r.code().intValue(), name);
                assertEquals(1, r.count(DnsSection.AUTHORITY), name);
            });
        }
    }

    @Test
    void shouldAnswerSoaAtTheApex() {
        withAnswer(Wire.query("mesh", 6), r -> assertEquals(DnsRecordType.SOA, r.recordAt(DnsSection.ANSWER).type()));
    }

    @Test
    void shouldNotSeeNamesOfOtherNetworks() {
        withAnswer(Wire.query("secret.mesh", 1), r -> assertEquals(3, r.code().intValue()));
        assertEquals(QueryOutcome.FORWARD, handle(Wire.query("secret", 1), false));
        assertEquals(QueryOutcome.FORWARD, handle(Wire.query("secret.back", 1), false));
    }

    @Test
    void shouldForwardUnknownNamesOutsideTheDomain() {
        assertEquals(QueryOutcome.FORWARD, handle(Wire.query("example.com", 1), false));
        assertEquals(0, out.readableBytes());
        // An empty non-terminal outside the domain is not ours either.
        assertEquals(QueryOutcome.FORWARD, handle(Wire.query("front", 1), false));
    }

    @Test
    void shouldAnswerSpecialNamesLocally() {
        withAnswer(Wire.query("localhost", 1), r -> assertEquals(List.of("127.0.0.1"), Wire.addresses(r)));
        withAnswer(Wire.query("db.localhost", 28), r -> assertEquals(List.of("0:0:0:0:0:0:0:1"),
            Wire.addresses(r)));
        withAnswer(Wire.query("x.invalid", 1), r -> assertEquals(3, r.code().intValue()));
        withAnswer(Wire.query("9.9.9.10.in-addr.arpa", 12), r -> assertEquals(3, r.code().intValue()));
        withAnswer(Wire.query("4.3.20.172.in-addr.arpa", 12), r -> assertEquals(3, r.code().intValue()));
        withAnswer(Wire.query("4.3.2.1.168.192.in-addr.arpa", 12), r -> assertEquals(3, r.code().intValue()));
        assertEquals(QueryOutcome.FORWARD, handle(Wire.query("4.3.32.172.in-addr.arpa", 12), false));
    }

    @Test
    void shouldDropShortPacketsAndResponses() {
        out.clear();
        ByteBuf shortOne = Unpooled.wrappedBuffer(new byte[11]);
        assertEquals(QueryOutcome.DROPPED, processor.handle(shortOne, out, false));
        shortOne.release();
        assertEquals(QueryOutcome.DROPPED, handle(Wire.query("web", 1).flags(0x8100), false));
        assertEquals(0, out.readableBytes());
        assertEquals(1, counters.drops(DnsCounters.Drop.TOO_SHORT));
        assertEquals(1, counters.drops(DnsCounters.Drop.NOT_A_QUERY));
    }

    @Test
    void shouldAnswerNotimpForOtherOpcodes() {
        withAnswer(Wire.query("web", 1).flags(2 << 11), r -> {
            assertEquals(4, r.code().intValue());
            assertEquals(0x1234, r.id());
        });
    }

    @Test
    void shouldAnswerFormerrForQdcountOtherThanOne() {
        withAnswer(Wire.query("web", 1).qdcount(0), r -> assertEquals(1, r.code().intValue()));
        withAnswer(Wire.query("web", 1).qdcount(2), r -> assertEquals(1, r.code().intValue()));
    }

    @Test
    void shouldAnswerFormerrForBrokenQuestions() {
        byte[] good = Wire.query("web", 1).bytes();
        // Cut inside the name, inside the type, label length past the end, a compression pointer.
        byte[][] bad = {
            java.util.Arrays.copyOf(good, 14), java.util.Arrays.copyOf(good, good.length - 3),
            patch(good, 12, 0x30), patch(patch(good, 12, 0xC0), 13, 0x0C), patch(good, 12, 0x40),
        };
        for (byte[] b : bad) {
            out.clear();
            ByteBuf in = Unpooled.wrappedBuffer(b);
            assertEquals(QueryOutcome.ANSWERED, processor.handle(in, out, false));
            in.release();
            assertEquals(1, out.getUnsignedShort(2) & 0xF);
            assertEquals(0x8000, out.getUnsignedShort(2) & 0x8000);
        }
    }

    private static byte[] patch(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    @Test
    void shouldAnswerFormerrForTwoOptRecords() {
        withAnswer(Wire.query("web", 1).edns(1232).optCount(2), r -> assertEquals(1, r.code().intValue()));
    }

    @Test
    void shouldAnswerRefusedForClassesOtherThanIn() {
        withAnswer(Wire.query("version.bind", 16).klass(3), r -> assertEquals(5, r.code().intValue()));
        withAnswer(Wire.query("web", 252), r -> assertEquals(5, r.code().intValue()));
    }

    @Test
    void shouldAnswerBadversInTheOptExtendedRcode() {
        assertEquals(QueryOutcome.ANSWERED, handle(Wire.query("web", 1).edns(1232).ednsVersion(1), false));
        assertEquals(0, out.getUnsignedShort(2) & 0xF);
        assertEquals(1, out.getUnsignedShort(10));
        // OPT is the last 11 bytes: root, type 41, class, TTL (extended RCODE in its top byte), RDLENGTH.
        int opt = out.writerIndex() - 11;
        assertEquals(41, out.getUnsignedShort(opt + 1));
        assertEquals(1, out.getUnsignedByte(opt + 5));
        assertEquals(1, counters.answers(Rcode.BADVERS));
    }

    @Test
    void shouldEchoOptWithOurPayloadSize() {
        assertEquals(QueryOutcome.ANSWERED, handle(Wire.query("web", 1).edns(4096), false));
        assertEquals(1, out.getUnsignedShort(10));
        assertEquals(1232, out.getUnsignedShort(out.writerIndex() - 11 + 3));
        assertEquals(QueryOutcome.ANSWERED, handle(Wire.query("web", 1), false));
        assertEquals(0, out.getUnsignedShort(10));
    }

    @Test
    void shouldAnswerAnyWithOneRrset() {
        withAnswer(Wire.query("web.1", 255), r -> {
            assertEquals(1, r.count(DnsSection.ANSWER));
            assertEquals(DnsRecordType.A, r.recordAt(DnsSection.ANSWER, 0).type());
        });
    }

    @Test
    void shouldTruncateOverUdpAndAnswerEverythingOverTcp() {
        withAnswer(Wire.query("rr", 1), r -> {
            assertTrue(r.isTruncated());
            assertEquals(0, r.count(DnsSection.ANSWER));
            assertEquals(1, r.count(DnsSection.QUESTION));
        });
        assertTrue(out.readableBytes() <= 512);
        assertEquals(QueryOutcome.ANSWERED, handle(Wire.query("rr", 1).edns(4096), false));
        assertTrue(out.readableBytes() <= 1232);
        assertNotEquals(0, out.getUnsignedShort(2) & 0x0200);
        DnsResponse tcp = answer(Wire.query("rr", 1), true);
        try {
            assertFalse(tcp.isTruncated());
            assertEquals(100, tcp.count(DnsSection.ANSWER));
        } finally {
            tcp.release();
        }
    }

    @Test
    void shouldNotTruncateWhatFits() {
        withAnswer(Wire.query("tasks.web", 1).edns(1232), r -> assertFalse(r.isTruncated()));
    }

    @Test
    void shouldShuffleMultiAddressAnswers() {
        Set<String> firsts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            withAnswer(Wire.query("tasks.web", 1), r -> firsts.add(Wire.addresses(r).get(0)));
        }
        assertEquals(Set.of("10.0.1.3", "10.0.1.4"), firsts);
    }

    @Test
    void shouldCompressTheSoaOwnerAgainstTheQuestion() {
        assertEquals(QueryOutcome.ANSWERED, handle(Wire.query("nope.mesh", 1), false));
        int authority = 12 + Wire.caseKept("nope.mesh").length + 4;
        // "mesh" starts after the 5 bytes of "4nope" in the question, at offset 17.
        assertEquals(0xC000 | 17, out.getUnsignedShort(authority));
    }

    @Test
    void shouldCountQueriesAndAnswers() {
        handle(Wire.query("web", 1), false);
        handle(Wire.query("nope.mesh", 28), false);
        assertEquals(1, counters.queries(QueryType.A));
        assertEquals(1, counters.queries(QueryType.AAAA));
        assertEquals(1, counters.answers(Rcode.NOERROR));
        assertEquals(1, counters.answers(Rcode.NXDOMAIN));
    }
}
