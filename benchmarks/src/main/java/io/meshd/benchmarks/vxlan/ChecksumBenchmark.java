package io.meshd.benchmarks.vxlan;

import io.meshd.packet.Checksums;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The internet checksum over a whole frame ({@link #full()}, what a UDP or TCP checksum costs) against the RFC 1624
 * update of one rewritten IPv4 address ({@link #incremental()}, what NAT costs), which does not depend on the size.
 */
@State(Scope.Thread)
public class ChecksumBenchmark extends VxlanBenchmark {
    @Param({"64", "1450", "9000"})
    int frameSize;
    private UnsafeBuffer frame;
    private int address = 0x0A00_0002;

    @Setup
    public void setUp() {
        frame = BenchFrames.udpFrame(0, frameSize, BenchFrames.MAC_REMOTE, BenchFrames.MAC_LOCAL);
    }

    @Benchmark
    public int full() {
        return Checksums.checksum(frame, 0, frameSize);
    }

    @Benchmark
    public int incremental() {
        int rewritten = address + 1;
        int checksum = Checksums.update32(0x1234, address, rewritten);
        address = rewritten;
        return checksum;
    }

    /**
     * Runs this benchmark with the GC profiler.
     *
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        run(ChecksumBenchmark.class);
    }
}
