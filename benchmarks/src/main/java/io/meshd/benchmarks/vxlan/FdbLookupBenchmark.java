package io.meshd.benchmarks.vxlan;

import io.meshd.vxlan.fabric.FdbEntry;
import io.meshd.vxlan.fabric.ForwardingTable;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.SwitchFabric;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.RunnerException;

import java.util.SplittableRandom;

/**
 * One forwarding-table lookup of (VNI, MAC), over tables of different sizes, keys visited in a random order so the
 * cache sees a realistic mix; every lookup hits.
 */
@State(Scope.Thread)
public class FdbLookupBenchmark extends VxlanBenchmark {
    private static final int KEYS_MASK = 4095;
    @Param({"100", "10000", "100000"})
    int entries;
    private ForwardingTable table;
    private final long[] keys = new long[KEYS_MASK + 1];
    private int next;

    @Setup
    public void setUp() {
        table = SwitchFabric.builder().maxEntries(entries).build().forwardingTable();
        SplittableRandom random = new SplittableRandom(42);
        long[] macs = new long[entries];
        for (int i = 0; i < entries; i++) {
            macs[i] = 0x0242_0000_0000L | random.nextInt() & 0xFFFF_FFFFL;
            table.putRemote(4096 + i % 4, macs[i], RemoteVtep.of(0x0A01_0000 + i % 64));
        }
        for (int i = 0; i < keys.length; i++) {
            int pick = random.nextInt(entries);
            keys[i] = (long) (4096 + pick % 4) << 48 | macs[pick];
        }
    }

    @Benchmark
    public FdbEntry lookup() {
        long key = keys[next++ & KEYS_MASK];
        return table.lookup((int) (key >>> 48), key & 0xFFFF_FFFF_FFFFL);
    }

    /**
     * Runs this benchmark with the GC profiler.
     *
     * @param args ignored
     * @throws RunnerException if JMH fails
     */
    public static void main(String[] args) throws RunnerException {
        run(FdbLookupBenchmark.class);
    }
}
