package io.meshd.benchmarks.vxlan;

import io.meshd.vxlan.fabric.CountingPort;
import io.meshd.vxlan.fabric.SwitchFabric;
import io.meshd.packet.ArpView;
import io.meshd.packet.EthernetView;
import io.meshd.packet.MacAddress;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.RunnerException;

import java.nio.ByteBuffer;

/**
 * One ARP request from a container for a known neighbor, answered by the fabric: parse, neighbor lookup, reply
 * frame built and delivered back to the asking port.
 */
@State(Scope.Thread)
public class ArpResponderBenchmark extends VxlanBenchmark {
    private static final int NEIGHBORS = 1000;
    private final CountingPort port = new CountingPort(1);
    private SwitchFabric fabric;
    private UnsafeBuffer request;

    @Setup
    public void setUp() {
        fabric = SwitchFabric.builder().build();
        fabric.addNetwork(4096);
        fabric.attach(4096, port, BenchFrames.MAC_LOCAL);
        for (int i = 0; i < NEIGHBORS; i++) {
            int ip = 0x0A00_1000 + i;
            fabric.neighborTable().put(4096, ip, MacAddress.fromIpv4(ip));
        }
        int frameLength = EthernetView.HEADER_LENGTH + ArpView.HEADER_LENGTH;
        request = new UnsafeBuffer(ByteBuffer.allocateDirect(frameLength));
        new EthernetView().wrap(request, 0, frameLength).destination(MacAddress.BROADCAST)
            .source(BenchFrames.MAC_LOCAL).etherType(EthernetView.TYPE_ARP);
        new ArpView().wrap(request, EthernetView.HEADER_LENGTH, ArpView.HEADER_LENGTH)
            .write(ArpView.OP_REQUEST, BenchFrames.MAC_LOCAL, 0x0A00_0002, 0, 0x0A00_1000 + NEIGHBORS / 2);
    }

    @Benchmark
    public long answer() {
        fabric.fromLocal(port, request, 0, request.capacity());
        return port.sink();
    }

    /**
     * Runs this benchmark with the GC profiler.
     *
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        run(ArpResponderBenchmark.class);
    }
}
