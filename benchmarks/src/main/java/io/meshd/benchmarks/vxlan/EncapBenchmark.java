package io.meshd.benchmarks.vxlan;

import io.meshd.packet.FlowHash;
import io.meshd.vxlan.codec.Ipv4Encapsulator;
import io.meshd.vxlan.codec.VxlanCodec;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Encapsulation of one frame. {@link #encapsulate()}: the outer UDP source port from the inner flow's hash and the
 * VXLAN header written into the headroom (what a socket-based VTEP does; the kernel adds IP and UDP).
 * {@link #encapsulateWithOuterHeaders()}: the complete IPv4/UDP/VXLAN headers including the IPv4 header checksum
 * and the UDP checksum over the whole frame (what a raw path does), so its cost grows with the frame size.
 */
@State(Scope.Thread)
public class EncapBenchmark extends VxlanBenchmark {
    @Param({"64", "1450", "9000"})
    int frameSize;
    private UnsafeBuffer buffer;
    private UnsafeBuffer packet;
    private final Ipv4Encapsulator encapsulator = Ipv4Encapsulator.builder().sourceAddress(0xC0A8_3201).build();

    @Setup
    public void setUp() {
        buffer = BenchFrames.udpFrame(VxlanCodec.HEADER_LENGTH, frameSize, BenchFrames.MAC_REMOTE,
            BenchFrames.MAC_LOCAL);
        packet = BenchFrames.udpFrame(Ipv4Encapsulator.HEADROOM, frameSize, BenchFrames.MAC_REMOTE,
            BenchFrames.MAC_LOCAL);
    }

    @Benchmark
    public int encapsulate() {
        int sourcePort = FlowHash.sourcePort(buffer, VxlanCodec.HEADER_LENGTH, frameSize, FlowHash.DEFAULT_LOW,
            FlowHash.DEFAULT_HIGH);
        return VxlanCodec.encode(buffer, 0, 4096) + sourcePort;
    }

    @Benchmark
    public int encapsulateWithOuterHeaders() {
        return encapsulator.encapsulate(packet, 0, frameSize, 4096, 0xC0A8_3202);
    }

    /**
     * Runs this benchmark with the GC profiler.
     *
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        run(EncapBenchmark.class);
    }
}
