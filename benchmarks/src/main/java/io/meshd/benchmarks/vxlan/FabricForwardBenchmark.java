package io.meshd.benchmarks.vxlan;

import io.meshd.vxlan.fabric.CountingPort;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.SwitchFabric;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The fabric forwarding one frame from a local port to the uplink: bounds checks, port binding, learning refresh of
 * the source, FDB lookup of the destination and the call into the uplink. {@code destination = static}: the control
 * plane put the remote MAC in the table (Docker's way), no clock is read; {@code learned}: the MAC was learned from
 * a frame of the peer, so its age is checked with one clock reading per frame.
 */
@State(Scope.Thread)
public class FabricForwardBenchmark extends VxlanBenchmark {
    @Param({"64", "1450", "9000"})
    int frameSize;
    @Param({"static", "learned"})
    String destination;
    private final CountingPort port = new CountingPort(1);
    private final CountingPort uplink = new CountingPort(0);
    private SwitchFabric fabric;
    private UnsafeBuffer frame;

    @Setup
    public void setUp() {
        fabric = SwitchFabric.builder().uplink(uplink).build();
        fabric.addNetwork(4096);
        fabric.attach(4096, port, BenchFrames.MAC_LOCAL);
        if ("static".equals(destination)) {
            fabric.forwardingTable().putRemote(4096, BenchFrames.MAC_REMOTE, RemoteVtep.parse("10.1.0.2"));
        } else {
            fabric.forwardingTable().learnRemote(4096, BenchFrames.MAC_REMOTE, RemoteVtep.parse("10.1.0.2"));
        }
        frame = BenchFrames.udpFrame(0, frameSize, BenchFrames.MAC_REMOTE, BenchFrames.MAC_LOCAL);
    }

    @Benchmark
    public long forward() {
        fabric.fromLocal(port, frame, 0, frameSize);
        return uplink.sink();
    }

    /**
     * Runs this benchmark with the GC profiler.
     *
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        run(FabricForwardBenchmark.class);
    }
}
