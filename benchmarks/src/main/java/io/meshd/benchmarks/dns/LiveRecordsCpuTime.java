package io.meshd.benchmarks.dns;

import io.meshd.dns.records.LiveRecordSource;
import io.meshd.dns.records.RecordBatch;
import io.meshd.dns.records.MeshEndpoint;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.MeshService;
import io.meshd.dns.records.ServiceMode;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The same update as {@link LiveRecordsBenchmark}, timed by the updating thread's own CPU clock and allocation
 * counter instead of the wall clock: on a shared, loaded machine the wall clock measures the neighbours as much as
 * the update. Prints five rounds; the first two are warm-up.
 *
 * <pre>
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar io.meshd.benchmarks.dns.LiveRecordsCpuTime VIEWS same|distinct
 * </pre>
 */
public final class LiveRecordsCpuTime {

    private LiveRecordsCpuTime() {
    }

    /** Arguments: the number of views, and {@code same} (one shared scope) or {@code distinct} scopes. */
    public static void main(String[] args) throws UnknownHostException {
        int views = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        boolean distinct = args.length > 1 && args[1].equals("distinct");
        List<MeshEndpoint> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            all.add(new MeshEndpoint("task-" + i, List.of(), List.of(address(i)), List.of("web"),
                MeshNetwork.DEFAULT_TTL));
        }
        MeshService web = new MeshService("web", ServiceMode.VIP, List.of(InetAddress.getByName("10.255.255.1")),
            List.of(), MeshNetwork.DEFAULT_TTL);
        LiveRecordSource source = LiveRecordSource.builder().domain("mesh").updater(Runnable::run)
            .networks(List.of(new MeshNetwork("front", all, List.of(web)))).build();
        for (int v = 0; v < views; v++) {
            source.view(distinct ? Set.of("front", "own" + v) : Set.of("front"));
        }
        MeshEndpoint extra = new MeshEndpoint("added", List.of(), List.of(address(10_001)), List.of("web"),
            MeshNetwork.DEFAULT_TTL);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = distinct ? 40_000 / views : 20_000;
        for (int round = 0; round < 5; round++) {
            long cpu = mx.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            long allocated = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                RecordBatch batch = LiveRecordSource.batch();
                if ((i & 1) == 0) {
                    batch.put("front", extra);
                } else {
                    batch.removeEndpoint("front", "added");
                }
                source.apply(batch).join();
            }
            cpu = mx.getCurrentThreadCpuTime() - cpu;
            wall = System.nanoTime() - wall;
            allocated = mx.getCurrentThreadAllocatedBytes() - allocated;
            System.out.printf("views %d %s, round %d: CPU %.1f us/update, wall %.1f us/update, %d B/update%n",
                views, distinct ? "distinct" : "same", round, cpu / 1e3 / n, wall / 1e3 / n, allocated / n);
        }
        source.close();
    }

    private static InetAddress address(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    }
}
