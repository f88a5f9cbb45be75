package io.meshd.benchmarks;

import io.meshd.shims.InterfaceConfig;
import io.meshd.shims.NetNs;
import io.meshd.shims.Tap;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
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
 * The cost of one TAP syscall through jnr-ffi: writing a frame the kernel receives (and drops, as it is for an
 * address nobody has), and a non-blocking read that finds nothing. Needs root; the TAP lives in a namespace of
 * its own ({@code mb} + random suffix) that is deleted at the end, so no traffic leaves it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class TapBenchmark {

    @Param({"64", "1500"})
    int frameSize;

    private String namespace;
    private NetNs netns;
    private Tap tap;
    private ByteBuffer frame;
    private ByteBuffer in;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        namespace = "mb" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        run("ip", "netns", "add", namespace);
        netns = NetNs.named(namespace);
        tap = netns.call(() -> {
            Tap opened = Tap.builder().name("bench0").nonBlocking(true).open();
            InterfaceConfig.addIpv4("bench0", (Inet4Address) InetAddress.getByName("10.206.0.1"), 24);
            InterfaceConfig.up("bench0");
            return opened;
        });
        frame = ByteBuffer.allocateDirect(frameSize);
        // Ethernet to a MAC that is not the TAP's: the kernel drops it at the MAC filter (PACKET_OTHERHOST).
        frame.put(new byte[] {0x02, 0, 0, 0, 0, 0x09}).put(new byte[] {0x02, 0, 0, 0, 0, 0x08})
            .putShort((short) 0x0800);
        frame.clear();
        in = ByteBuffer.allocateDirect(2048);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        tap.close();
        netns.close();
        run("ip", "netns", "del", namespace);
    }

    @Benchmark
    public int writeFrame() {
        frame.clear();
        return tap.write(frame);
    }

    @Benchmark
    public int readNothing() {
        in.clear();
        return tap.read(in);
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed");
        }
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(TapBenchmark.class.getSimpleName()).build()).run();
    }
}
