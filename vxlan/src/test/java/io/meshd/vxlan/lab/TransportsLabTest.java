package io.meshd.vxlan.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.harness.RequiresLab;
import io.meshd.net.IoTransport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every transport carries ping and a checked TCP transfer between a meshd VTEP and the kernel's, epoll and io_uring
 * with two receive sockets on the VXLAN port.
 */
@RequiresLab(commands = {"socat", "ping", "ethtool"})
class TransportsLabTest {

    @ParameterizedTest
    @EnumSource(value = IoTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldCarryPingAndTcpWithTheKernel(IoTransport transport) throws Exception {
        // epoll and io_uring share the VXLAN port between two sockets (SO_REUSEPORT); NIO has one.
        try (KernelPair lab = KernelPair.start(transport, 2)) {
            assertEquals(transport, lab.meshd.node().vtep().transport());
            assertTrue(Traffic.ping(lab.containerA, KernelPair.KERNEL_CONTAINER), transport + ": ping");
            Traffic.tcpTransfer(lab.containerA, lab.containerB, KernelPair.KERNEL_CONTAINER, 5003, 20 << 20);
            Traffic.tcpTransfer(lab.containerB, lab.containerA, KernelPair.MESHD_CONTAINER, 5003, 20 << 20);
        }
    }
}
