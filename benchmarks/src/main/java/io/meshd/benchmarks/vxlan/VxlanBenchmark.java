package io.meshd.benchmarks.vxlan;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.concurrent.TimeUnit;

/**
 * The settings every VXLAN benchmark shares (JMH inherits class annotations): average time in nanoseconds, one
 * fork with the export Agrona 2.x buffers need and a fixed heap, short warm-up and measurement by default.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
public abstract class VxlanBenchmark {
    /**
     * Runs one benchmark class with the GC profiler, for the subclasses' {@code main}.
     *
     * @param benchmark the class
     * @throws RunnerException if JMH fails
     */
    static void run(Class<? extends VxlanBenchmark> benchmark) throws RunnerException {
        new Runner(new OptionsBuilder().include(benchmark.getSimpleName()).addProfiler(GCProfiler.class).build())
            .run();
    }
}
