package io.meshd.vxlan.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.RequiresLab;
import io.meshd.net.IoTransport;
import io.meshd.vxlan.tap.PortCounters;
import io.meshd.vxlan.tap.TapPort;
import org.junit.jupiter.api.Test;

/**
 * A two-queue TAP: TCP flows from meshd's container to the kernel's are spread by the kernel over both queues,
 * each read by its own thread, and every transfer arrives intact.
 */
@RequiresLab(commands = {"socat", "ping", "ethtool"})
class MultiQueueLabTest {

    /** Each new connection has a fresh source port, so lands on either queue: 16 leave 2^-15 odds of one queue. */
    private static final int MAX_FLOWS = 16;

    @Test
    void shouldCarryFlowsOnBothQueuesOfATwoQueueTap() throws Exception {
        try (KernelPair lab = KernelPair.start(IoTransport.EPOLL, 2, 2)) {
            TapPort port = lab.port;
            assertEquals(2, port.queueCount());
            assertTrue(Traffic.ping(lab.containerA, KernelPair.KERNEL_CONTAINER), "ping");
            PortCounters counters = port.counters();
            for (int flow = 0; flow < MAX_FLOWS && (counters.queueReads(0) == 0 || counters.queueReads(1) == 0);
                flow++) {
                Traffic.tcpTransfer(lab.containerA, lab.containerB, KernelPair.KERNEL_CONTAINER, 5100 + flow,
                    2 << 20);
            }
            assertTrue(counters.queueReads(0) > 0 && counters.queueReads(1) > 0, "reads per queue: " + counters);
            Traffic.tcpTransfer(lab.containerB, lab.containerA, KernelPair.MESHD_CONTAINER, 5200, 8 << 20);
            assertEquals(0, counters.snapshot().get("errors"), counters.toString());
        }
    }
}
