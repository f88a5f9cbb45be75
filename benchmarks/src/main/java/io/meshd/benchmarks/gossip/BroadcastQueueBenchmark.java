package io.meshd.benchmarks.gossip;

import io.meshd.gossip.internal.BroadcastQueue;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The piggyback queue: queueing an update (replacing the queued one with the same key) and filling one 1400-byte
 * packet from a queue of {@code queued} updates of 40 bytes, as every probe, ack and gossip round does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m"})
public class BroadcastQueueBenchmark {

    @Param({"10", "1000"})
    int queued;

    private BroadcastQueue queue;
    private String[] keys;
    private byte[] update;
    private final List<byte[]> out = new ArrayList<>(256);
    private int next;

    @Setup
    public void setUp() {
        queue = new BroadcastQueue();
        update = new byte[40];
        keys = new String[queued];
        for (int i = 0; i < queued; i++) {
            keys[i] = "m:node-" + i;
            queue.add(keys[i], update);
        }
    }

    @Benchmark
    public int addReplacing() {
        queue.add(keys[next++ % queued], update);
        return queue.size();
    }

    @Benchmark
    public int fillOnePacket() {
        out.clear();
        int used = queue.drainInto(out, 1400, 2, 255, Integer.MAX_VALUE);
        return used;
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(BroadcastQueueBenchmark.class.getSimpleName()).build()).run();
    }
}
