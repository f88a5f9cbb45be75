package io.meshd.benchmarks.dns;

import io.meshd.dns.records.LiveRecordSource;
import io.meshd.dns.records.RecordBatch;
import io.meshd.dns.records.MeshEndpoint;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.MeshService;
import io.meshd.dns.records.ServiceMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * One batch of a {@link LiveRecordSource} over a network of {@code endpoints} endpoints (each an A record under two
 * names and a PTR: 10,000 endpoints are 30,000 records under 20,000 names plus the reverse zone's), served to
 * {@code views} views of that network (sharing one scope or each with a scope of its own): each invocation adds
 * one endpoint (a task of a VIP service) or removes the one it added the time before. The batch runs on the
 * benchmark's thread ({@code updater(Runnable::run)}), so the time and the allocation ({@code -prof gc}) are the
 * update's alone: contributions, trie path copies, publication.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LiveRecordsBenchmark {

    /** Endpoints already in the network. */
    @Param({"10000"})
    public int endpoints;

    /** Views (namespaces) attached to the network. */
    @Param({"1", "50"})
    public int views;

    /**
     * Whether the views see the same networks (then they share one trie, edited once per batch) or each sees the
     * network plus one of its own (then each batch edits every view's trie).
     */
    @Param({"same", "distinct"})
    public String scopes;

    private LiveRecordSource source;
    private MeshEndpoint extra;
    private boolean present;

    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        List<MeshEndpoint> all = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            all.add(new MeshEndpoint("task-" + i, List.of(), List.of(address(i)), List.of("web"),
                MeshNetwork.DEFAULT_TTL));
        }
        MeshService web = new MeshService("web", ServiceMode.VIP, List.of(InetAddress.getByName("10.255.255.1")),
            List.of(), MeshNetwork.DEFAULT_TTL);
        source = LiveRecordSource.builder().domain("mesh").updater(Runnable::run)
            .networks(List.of(new MeshNetwork("front", all, List.of(web)))).build();
        for (int v = 0; v < views; v++) {
            source.view(scopes.equals("same") ? Set.of("front") : Set.of("front", "own" + v));
        }
        extra = new MeshEndpoint("added", List.of(), List.of(address(endpoints + 1)), List.of("web"),
            MeshNetwork.DEFAULT_TTL);
    }

    private static InetAddress address(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        source.close();
    }

    /** Adds the endpoint, or removes it when the previous invocation added it: one batch of one change. */
    @Benchmark
    public long oneEndpointChange() {
        RecordBatch batch = LiveRecordSource.batch();
        if (present) {
            batch.removeEndpoint("front", "added");
        } else {
            batch.put("front", extra);
        }
        present = !present;
        source.apply(batch).join();
        return source.batches();
    }

    /** Runs this benchmark alone. */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(LiveRecordsBenchmark.class.getSimpleName()).build()).run();
    }
}
