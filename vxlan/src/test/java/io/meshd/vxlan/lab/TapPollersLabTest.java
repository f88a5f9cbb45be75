package io.meshd.vxlan.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabProcess;
import io.meshd.harness.RequiresLab;
import io.meshd.net.IoTransport;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.tap.TapPollers;
import io.meshd.vxlan.tap.TapPort;
import io.meshd.vxlan.vtep.UdpVtep;
import io.meshd.vxlan.testing.Await;
import io.meshd.vxlan.vtep.VtepNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Many TAPs on a few pollers: 200 attachments (100 containers with two interfaces, on two networks) are read by
 * two poller threads; frames flow on every port; the pollers allocate nothing while switching; detaching under a
 * ping flood returns promptly and leaves no descriptor behind.
 */
@RequiresLab(commands = {"ping"})
class TapPollersLabTest {

    private static final int CONTAINERS = 100;
    private static final int POLLERS = 2;
    /** Threads the JVM may start meanwhile for its own reasons (none is expected). */
    private static final int OTHER_THREADS = 2;
    /** JIT noise in the pollers' allocation counters (as in {@code Allocations}): far below a byte per frame. */
    private static final long NOISE_BYTES = 1024;
    /**
     * A detach waits for its pollers to take the queues out of epoll (a task between two ready queues: 1-7 ms
     * measured under this flood) and for the kernel to unregister the interface when its last descriptor closes
     * (RCU grace periods: 20-550 ms measured at load 2-10 on the 2-core lab). Waiting for a poller that never ran
     * the task would take {@link TapPollers#TASK_MILLIS} and throw.
     */
    private static final long DETACH_MILLIS = TapPollers.TASK_MILLIS;

    @Test
    void shouldServeTwoHundredTapsWithTwoPollersAndDetachUnderTrafficWithoutLeaks() throws Exception {
        try (Lab lab = Lab.create()) {
            LabHost host = lab.host("h");
            host.execOk("ip", "addr", "add", "10.96.0.1/32", "dev", "lo");
            List<LabHost> containers = new ArrayList<>();
            for (int i = 0; i < CONTAINERS; i++) {
                containers.add(MeshdHost.container(lab, "c" + i));
            }
            Inet4Address local = (Inet4Address) InetAddress.getByName("10.96.0.1");
            try (VtepNode node = VtepNode.builder().vtep(UdpVtep.builder().local(local).transport(IoTransport.AUTO)
                .namespace(host.netns()).socketBufferBytes(1 << 20)).tapPollers(POLLERS).start()) {
                node.addNetwork(10);
                node.addNetwork(11);
                int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
                List<TapPort> ports = new ArrayList<>();
                ports.add(node.attach(10, attachment(containers.get(0), "eth0", 10, 0)));
                // The pollers and the VTEP's sockets are open now: what more attachments open, detach must close.
                long fdsBefore = openDescriptors();
                for (int i = 0; i < CONTAINERS; i++) {
                    if (i > 0) {
                        ports.add(node.attach(10, attachment(containers.get(i), "eth0", 10, i)));
                    }
                    ports.add(node.attach(11, attachment(containers.get(i), "eth1", 11, i)));
                }
                assertEquals(2 * CONTAINERS, ports.size());
                assertEquals(POLLERS, pollerThreads(), "one thread per poller, none per TAP");
                int threads = ManagementFactory.getThreadMXBean().getThreadCount();
                assertTrue(threads - threadsBefore <= POLLERS + OTHER_THREADS,
                    "threads before " + threadsBefore + ", with " + ports.size() + " TAPs " + threads);

                pingNeighbours(containers);
                for (TapPort p : ports) {
                    assertTrue(p.counters().rxFrames() > 0 && p.counters().txFrames() > 0,
                        "frames both ways on " + p + ": " + p.counters().snapshot());
                }
                long allocated = pollerBytesAllocated();
                assertTrue(allocated > 0, "the pollers' first frames set up their per-thread state: it is seen");
                pingNeighbours(containers);
                // 400 pings and their ARP: one allocation per frame would be over 16 KB. What the JIT does while it
                // compiles the path shows as a few hundred bytes now and then (see Allocations).
                long bytes = pollerBytesAllocated() - allocated;
                assertTrue(bytes <= NOISE_BYTES, "bytes the pollers allocated switching 400 pings: " + bytes);

                List<LabProcess> floods = new ArrayList<>();
                for (int i = 2; i < 10; i += 2) {
                    floods.add(containers.get(i).startProcess("ping", "-f", "-q", "-w", "30", ip(10, i + 1)));
                    floods.add(containers.get(i + 1).startProcess("ping", "-f", "-q", "-w", "30", ip(11, i)));
                }
                try {
                    LabHost flooded = containers.get(3);
                    long reads = ports.get(2 * 3).counters().rxFrames() + ports.get(2 * 3 + 1).counters().rxFrames();
                    assertTrue(Await.until(() -> ports.get(2 * 3).counters().rxFrames()
                        + ports.get(2 * 3 + 1).counters().rxFrames() > reads + 100, Duration.ofSeconds(10)),
                        "the flood runs through " + flooded.name());
                    long slowest = 0;
                    for (TapPort p : ports.subList(1, ports.size())) {
                        long started = System.nanoTime();
                        node.detach(p);
                        slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
                    }
                    assertTrue(slowest < DETACH_MILLIS, "slowest detach under traffic: " + slowest + " ms");
                } finally {
                    floods.forEach(LabProcess::stop);
                }
                assertFalse(containers.get(3).exec("ip", "link", "show", "eth0").ok(), "interface removed");
                assertEquals(fdsBefore, openDescriptors(), "descriptors after detaching " + (ports.size() - 1)
                    + " TAPs");
                assertEquals(POLLERS, pollerThreads());
                assertFalse(pingOk(containers.get(1), ip(10, 0)), "a detached container is cut off");
            }
            assertEquals(0, pollerThreads(), "closing the node stops the pollers");
        }
    }

    private static Attachment attachment(LabHost c, String iface, int vni, int i) {
        return Attachment.parse(c.name() + ":" + iface + ":" + ip(vni, i) + "/16", Attachment.DEFAULT_MTU);
    }

    /** Container {@code i}'s address on network {@code vni}: 10.{vni}.{i / 200}.{i % 200 + 1}. */
    private static String ip(int vni, int i) {
        return "10." + vni + "." + (i / 200) + "." + (i % 200 + 1);
    }

    /** Every container pings the next one on both networks; asserts every ping was answered. */
    private static void pingNeighbours(List<LabHost> containers) {
        for (int i = 0; i < containers.size(); i++) {
            int next = (i + 1) % containers.size();
            LabHost c = containers.get(i);
            String both = "ping -c 1 -W 2 " + ip(10, next) + " && ping -c 1 -W 2 " + ip(11, next);
            assertTrue(c.exec(Duration.ofSeconds(15), "sh", "-c", both).ok(), c.name() + " reaches container "
                + next + " on both networks");
        }
    }

    private static boolean pingOk(LabHost c, String address) {
        return c.exec(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "1", address).ok();
    }

    /** Threads of the pollers (named by their thread factory). */
    private static long pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
            .filter(t -> t.getName().startsWith("tap-")).count();
    }

    private static long pollerBytesAllocated() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("tap-poller")) {
                sum += mx.getThreadAllocatedBytes(t.getId());
            }
        }
        return sum;
    }

    private static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
