package io.meshd.benchmarks.vxlan;

import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.packet.EthernetView;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Decapsulation of one received VXLAN payload: header validation and VNI, then the inner Ethernet header read
 * through a reused view, as the VTEP does before handing the frame to the fabric.
 */
@State(Scope.Thread)
public class DecapBenchmark extends VxlanBenchmark {
    @Param({"64", "1450", "9000"})
    int frameSize;
    private UnsafeBuffer buffer;
    private final EthernetView inner = new EthernetView();

    @Setup
    public void setUp() {
        buffer = BenchFrames.udpFrame(VxlanCodec.HEADER_LENGTH, frameSize, BenchFrames.MAC_LOCAL,
            BenchFrames.MAC_REMOTE);
        VxlanCodec.encode(buffer, 0, 4096);
    }

    @Benchmark
    public long decapsulate() {
        int vni = VxlanCodec.decode(buffer, 0, VxlanCodec.HEADER_LENGTH + frameSize);
        if (vni < 0 || !inner.tryWrap(buffer, VxlanCodec.HEADER_LENGTH, frameSize)) {
            return vni;
        }
        return vni + inner.destination() + inner.etherType();
    }

    /**
     * Runs this benchmark with the GC profiler.
     *
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        run(DecapBenchmark.class);
    }
}
