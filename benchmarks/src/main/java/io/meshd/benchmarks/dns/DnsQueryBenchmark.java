package io.meshd.benchmarks.dns;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.ResourceRecord;
import io.meshd.dns.internal.QueryProcessor;
import io.meshd.dns.internal.Responder;
import io.meshd.dns.internal.WireNames;
import io.meshd.dns.records.InMemoryRecordSource;
import io.meshd.dns.records.MeshEndpoint;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.MeshService;
import io.meshd.dns.records.PublishedPort;
import io.meshd.dns.records.ServiceMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One query through the responder's query path: parse the header, question and OPT from the query's bytes, look
 * the name up, and write the full answer (compression, shuffling, OPT) into a pooled direct buffer. No sockets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class DnsQueryBenchmark {

    /**
     * Which query: a service VIP, four task addresses, an NXDOMAIN with SOA, a PTR, an EDNS query, an SRV with its
     * target's address as additional data, a name above a PTR (RFC 8020 NODATA with the reverse zone's SOA).
     */
    @Param({"web/A", "tasks.web/A", "nope.mesh/A", "3.1.0.10.in-addr.arpa/PTR", "web.front.mesh/A+EDNS",
        "_http._tcp.web/SRV", "1.0.10.in-addr.arpa/PTR"})
    public String query;

    private ByteBuf in;
    private ByteBuf out;
    private QueryProcessor processor;

    @Setup
    public void setUp() throws UnknownHostException {
        List<MeshEndpoint> endpoints = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            endpoints.add(new MeshEndpoint("web." + i, List.of(), List.of(InetAddress.getByName("10.0.1." + (2 + i))),
                List.of("web"), MeshNetwork.DEFAULT_TTL));
        }
        MeshNetwork front = new MeshNetwork("front", endpoints, List.of(new MeshService("web", ServiceMode.VIP,
            List.of(InetAddress.getByName("10.0.1.2")), List.of(new PublishedPort("http", 80, "tcp")),
            MeshNetwork.DEFAULT_TTL)));
        InMemoryRecordSource source = InMemoryRecordSource.builder().domain("mesh").networks(List.of(front)).build();
        Responder responder = new Responder(source.view(Set.of("front")), Optional.of(WireNames.toWire("mesh")),
            ResourceRecord.soa("ns.mesh", "hostmaster.mesh", 1, 3600, 600, 86400, 30, 30), 1232, true, 600,
            new DnsCounters(), List.of(InetAddress.getByName("127.0.0.11")));
        processor = new QueryProcessor(responder);
        String[] parts = query.split("/");
        String type = parts[1].replace("+EDNS", "");
        int qtype = type.equals("PTR") ? 12 : type.equals("SRV") ? 33 : 1;
        byte[] bytes = query(parts[0], qtype, parts[1].endsWith("+EDNS"));
        in = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        in.writeBytes(bytes);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(512);
    }

    private static byte[] query(String name, int type, boolean edns) {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.writeBytes(new byte[] {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, (byte) (edns ? 1 : 0)});
        q.writeBytes(WireNames.toWire(name));
        q.writeBytes(new byte[] {0, (byte) type, 0, 1});
        if (edns) {
            q.writeBytes(new byte[] {0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0});
        }
        return q.toByteArray();
    }

    @TearDown
    public void tearDown() {
        in.release();
        out.release();
    }

    /** Parse, look up and answer one query. */
    @Benchmark
    public int answer() {
        out.clear();
        processor.handle(in, out, false);
        return out.writerIndex();
    }

    /** Runs this benchmark with the allocation profiler. */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(DnsQueryBenchmark.class.getSimpleName()).addProfiler("gc").build())
            .run();
    }
}
