package io.meshd.benchmarks.gossip;

import io.meshd.gossip.internal.CodecException;
import io.meshd.gossip.internal.Message;
import io.meshd.gossip.internal.MessageCodec;
import java.net.InetSocketAddress;
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
 * Encoding and decoding one compound gossip packet: a ping plus {@code parts} piggybacked membership updates
 * (alive/suspect/dead), the shape the protocol sends every probe and gossip round. At 1400 bytes a packet holds
 * about 40 such updates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms256m", "-Xmx256m"})
public class CompoundCodecBenchmark {

    @Param({"1", "10", "40"})
    int parts;

    private List<byte[]> encodedParts;
    private byte[] packet;

    @Setup
    public void setUp() {
        InetSocketAddress addr = new InetSocketAddress("10.0.0.1", 7946);
        encodedParts = new ArrayList<>();
        encodedParts.add(MessageCodec.part(new Message.Ping(42, "node-0007", "node-0001", addr)));
        for (int i = 1; i < parts; i++) {
            Message m;
            switch (i % 3) {
                case 0:
                    m = new Message.Alive("node-" + i, addr, i);
                    break;
                case 1:
                    m = new Message.Suspect("node-" + i, i, "node-0001");
                    break;
                default:
                    m = new Message.Dead("node-" + i, i, "node-0001");
                    break;
            }
            encodedParts.add(MessageCodec.part(m));
        }
        packet = MessageCodec.packet(encodedParts);
    }

    @Benchmark
    public byte[] encodeCompound() {
        return MessageCodec.packet(encodedParts);
    }

    @Benchmark
    public List<Message> decodeCompound() throws CodecException {
        return MessageCodec.decodePacket(packet);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(CompoundCodecBenchmark.class.getSimpleName()).build()).run();
    }
}
