package io.meshd.benchmarks.lb;

import io.meshd.lb.Backend;
import io.meshd.lb.MaglevTable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * A Maglev lookup of a new flow's backend (flow hashes visited in a random order, so the table's cache lines are
 * a realistic mix) and a whole table build, over {@code backends} backends at M = {@code size} (65537, the default
 * of {@code meshd proxy} and {@code vtep --vip}; 1021 is the mesh's size for up to 10 backends,
 * {@link MaglevTable#ladderSize}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MaglevBenchmark {
    private static final int HASHES_MASK = 4095;

    @Param({"10", "100", "1000"})
    int backends;

    @Param({"65537"})
    int size;

    private final long[] hashes = new long[HASHES_MASK + 1];
    private List<Backend> list;
    private MaglevTable table;
    private int next;

    @Setup
    public void setUp() {
        list = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            list.add(Backend.of("10.0." + (i / 250) + "." + (i % 250 + 1) + ":80"));
        }
        table = MaglevTable.build(list, size);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = random.nextLong();
        }
    }

    /** One lookup on the packet path. */
    @Benchmark
    public int lookup() {
        return table.lookup(hashes[next++ & HASHES_MASK]);
    }

    /** One build, as a change of the backend set costs (reported in ns; divide by 10^6 for ms). */
    @Benchmark
    public MaglevTable build() {
        return MaglevTable.build(list, size);
    }

    /**
     * Runs this benchmark with the GC profiler.
     *
     * @param args unused
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(MaglevBenchmark.class.getSimpleName()).addProfiler(GCProfiler.class)
            .build()).run();
    }
}
