package io.meshd.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Fixtures;
import io.meshd.dns.ResourceRecord;
import io.meshd.dns.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The query path allocates nothing once warm, for every kind of answer the conformance rules added (SRV with
 * additional data, negative answers with a zone's SOA, RFC 8020 NODATA, error answers with OPT): the thread's
 * allocated-bytes counter (HotSpot's {@code com.sun.management.ThreadMXBean}) does not move across a run of queries.
 */
class QueryPathAllocationTest {

    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;

    private static Wire.Query query(String kind) {
        switch (kind) {
            case "srv":
                return Wire.query("_http._tcp.web", ResourceRecord.TYPE_SRV).edns(1232).dnssecOk();
            case "nxdomain":
                return Wire.query("nope.mesh", ResourceRecord.TYPE_A);
            case "reverse-ent":
                return Wire.query("1.0.10.in-addr.arpa", ResourceRecord.TYPE_PTR);
            case "local":
                return Wire.query("printer.local", ResourceRecord.TYPE_A).edns(1232);
            case "notimp":
                return Wire.query("web", ResourceRecord.TYPE_A).flags(4 << 11).edns(1232);
            case "apex-ns":
                return Wire.query("mesh", ResourceRecord.TYPE_NS);
            default:
                return Wire.query("tasks.web", ResourceRecord.TYPE_A).edns(1232);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tasks", "srv", "nxdomain", "reverse-ent", "local", "notimp", "apex-ns"})
    void shouldAllocateNothingPerQueryOnceWarm(String kind) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter here");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter here");
        Responder responder = new Responder(Fixtures.source().view(Set.of("front")),
            Optional.of(WireNames.toWire("mesh")), ResourceRecord.soa("ns.mesh", "hostmaster.mesh", 1, 3600, 600,
            86400, 30, 30), 1232, true, 600, new DnsCounters(), List.of(Fixtures.ip("127.0.0.11")));
        QueryProcessor processor = new QueryProcessor(responder);
        // Not through an allocator: the tests' paranoid leak detector wraps those buffers and records every access;
        // with memory addresses, as the pooled direct buffers of the transports, so copies are memory copies.
        ByteBuf in = new UnpooledUnsafeDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, 512, 512)
            .writeBytes(query(kind).bytes());
        ByteBuf out = new UnpooledUnsafeDirectByteBuf(UnpooledByteBufAllocator.DEFAULT, 1232, 65535);
        try {
            run(processor, in, out, WARM_UP);
            assertEquals(QueryOutcome.ANSWERED, processor.handle(in, out.clear(), false));
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            run(processor, in, out, MEASURED);
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            // The counter call itself may show a few bytes; a per-query allocation shows MEASURED times over.
            assertTrue(allocated < MEASURED, kind + ": " + allocated + " bytes over " + MEASURED + " queries");
        } finally {
            in.release();
            out.release();
        }
    }

    private static void run(QueryProcessor processor, ByteBuf in, ByteBuf out, int times) {
        for (int i = 0; i < times; i++) {
            out.clear();
            processor.handle(in, out, false);
        }
    }
}
