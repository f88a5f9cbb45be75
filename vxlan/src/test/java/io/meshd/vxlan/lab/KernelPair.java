package io.meshd.vxlan.lab;

import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.harness.LabLink;
import io.meshd.net.IoTransport;
import io.meshd.vxlan.tap.TapPort;

/**
 * Two lab hosts on one underlay link, a container behind each: host A runs the meshd VTEP (in this JVM), host B a
 * Linux kernel vxlan device with the same VNI and port 4789, moved into its container (its UDP socket stays in B).
 * Needs {@code ethtool}.
 *
 * <pre>
 *   cA 192.168.42.1 (TAP, meshd) -- hA 10.99.0.1 ==veth== 10.99.0.2 hB -- cB 192.168.42.2 (kernel vxlan)
 * </pre>
 */
final class KernelPair implements AutoCloseable {

    static final int VNI = 42;
    static final String MESHD_UNDERLAY = "10.99.0.1";
    static final String KERNEL_UNDERLAY = "10.99.0.2";
    static final String MESHD_CONTAINER = "192.168.42.1";
    static final String KERNEL_CONTAINER = "192.168.42.2";

    final Lab lab;
    final LabHost hostA;
    final LabHost hostB;
    final LabHost containerA;
    final LabHost containerB;
    /** The underlay interface of host A. */
    final String underlayA;
    final MeshdHost meshd;
    /** Container A's port on meshd's switch. */
    final TapPort port;

    private KernelPair(Lab lab, LabLink link, LabHost containerA, LabHost containerB, MeshdHost meshd,
        TapPort port) {
        this.port = port;
        this.lab = lab;
        this.hostA = link.hostA();
        this.hostB = link.hostB();
        this.underlayA = link.ifaceA();
        this.containerA = containerA;
        this.containerB = containerB;
        this.meshd = meshd;
    }

    /** Builds the topology with meshd on {@code transport}; the lab is closed again if a step fails. */
    static KernelPair start(IoTransport transport) throws Exception {
        return start(transport, 1);
    }

    /** The same with {@code receiveSockets} meshd sockets sharing the VXLAN port. */
    static KernelPair start(IoTransport transport, int receiveSockets) throws Exception {
        return start(transport, receiveSockets, 1);
    }

    /** The same with {@code tapQueues} queues on meshd's container TAP. */
    static KernelPair start(IoTransport transport, int receiveSockets, int tapQueues) throws Exception {
        Lab lab = Lab.create();
        try {
            LabHost ha = lab.host("ha");
            LabHost hb = lab.host("hb");
            LabHost ca = MeshdHost.container(lab, "ca");
            LabHost cb = MeshdHost.container(lab, "cb");
            LabLink link = lab.link(ha, MESHD_UNDERLAY + "/24", hb, KERNEL_UNDERLAY + "/24");
            hb.kernelVxlan("vx" + VNI, VNI, KERNEL_UNDERLAY, 4789, true, MESHD_UNDERLAY);
            hb.execOk("ip", "link", "set", "vx" + VNI, "netns", cb.name());
            cb.execOk("ip", "link", "set", "vx" + VNI, "name", "eth0");
            cb.execOk("ip", "link", "set", "eth0", "mtu", "1450", "up");
            cb.execOk("ip", "addr", "add", KERNEL_CONTAINER + "/24", "dev", "eth0");
            // A veth hands CHECKSUM_PARTIAL packets across namespaces, so the kernel vxlan device would leave
            // inner TCP/UDP checksums unfilled all the way into meshd's socket (a NIC would fill them on the
            // wire). Checksumming in software on the kernel side is what a real underlay gives.
            cb.execOk("ethtool", "-K", "eth0", "tx", "off");
            MeshdHost meshd = MeshdHost.start(ha, MESHD_UNDERLAY, transport, receiveSockets, tapQueues);
            TapPort port;
            try {
                port = meshd.network(VNI, KERNEL_UNDERLAY).attach(VNI, ca, MESHD_CONTAINER + "/24");
            } catch (RuntimeException e) {
                meshd.close();
                throw e;
            }
            return new KernelPair(lab, link, ca, cb, meshd, port);
        } catch (Exception | AssertionError e) {
            lab.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            meshd.close();
        } finally {
            lab.close();
        }
    }
}
