package io.meshd.vxlan.lab;

import io.meshd.vxlan.vtep.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * Two lab hosts on one underlay link, a container behind each: host A runs the meshd VTEP (in this JVM), host B a
 * Linux kernel vxlan device with the same VNI and port 4789, moved into its container (its UDP socket stays in B).
 * Needs {@code ethtool}.
 *
 * <pre>
 *   cA 192.168.42.1 (TAP, meshd) -- hA 10.99.0.1 ==eth0== 10.99.0.2 hB -- cB 192.168.42.2 (kernel vxlan)
 * </pre>
 */
public final class KernelPair implements AutoCloseable {

    public static final int VNI = 42;
    public static final String MESHD_UNDERLAY = "10.99.0.1";
    public static final String KERNEL_UNDERLAY = "10.99.0.2";
    public static final String MESHD_CONTAINER = "192.168.42.1";
    public static final String KERNEL_CONTAINER = "192.168.42.2";

    public final Netns hostA;
    public final Netns hostB;
    public final Netns containerA;
    public final Netns containerB;
    public final MeshdHost meshd;
    private final List<Netns> all;

    private KernelPair(List<Netns> all, MeshdHost meshd) {
        this.all = all;
        this.hostA = all.get(0);
        this.hostB = all.get(1);
        this.containerA = all.get(2);
        this.containerB = all.get(3);
        this.meshd = meshd;
    }

    /** Builds the topology with meshd on {@code transport}; everything is removed again if a step fails. */
    public static KernelPair start(Transport transport) throws Exception {
        List<Netns> made = new ArrayList<>();
        try {
            Netns ha = add(made, "vxkA");
            Netns hb = add(made, "vxkB");
            Netns ca = addContainer(made, "vxka");
            Netns cb = addContainer(made, "vxkb");
            Netns.link(ha, MESHD_UNDERLAY + "/24", hb, KERNEL_UNDERLAY + "/24", "eth0");
            hb.ip("link", "add", "vx" + VNI, "type", "vxlan", "id", String.valueOf(VNI), "local", KERNEL_UNDERLAY,
                "remote", MESHD_UNDERLAY, "dstport", "4789", "dev", "eth0");
            hb.ip("link", "set", "vx" + VNI, "netns", cb.name());
            cb.ip("link", "set", "vx" + VNI, "name", "eth0");
            cb.ip("link", "set", "eth0", "mtu", "1450", "up");
            cb.ip("addr", "add", KERNEL_CONTAINER + "/24", "dev", "eth0");
            // A veth hands CHECKSUM_PARTIAL packets across namespaces, so the kernel vxlan device would leave
            // inner TCP/UDP checksums unfilled all the way into meshd's socket (a NIC would fill them on the
            // wire). Checksumming in software on the kernel side is what a real underlay gives.
            cb.exec("ethtool", "-K", "eth0", "tx", "off");
            MeshdHost meshd = MeshdHost.start(ha, MESHD_UNDERLAY, transport, true, true);
            try {
                meshd.network(VNI, KERNEL_UNDERLAY).attach(VNI, ca, MESHD_CONTAINER + "/24");
            } catch (RuntimeException e) {
                meshd.close();
                throw e;
            }
            return new KernelPair(made, meshd);
        } catch (Exception | AssertionError e) {
            made.forEach(Netns::close);
            throw e;
        }
    }

    private static Netns add(List<Netns> made, String prefix) {
        Netns ns = Netns.create(prefix);
        made.add(ns);
        return ns;
    }

    private static Netns addContainer(List<Netns> made, String prefix) {
        Netns ns = Netns.container(prefix);
        made.add(ns);
        return ns;
    }

    @Override
    public void close() {
        try {
            meshd.close();
        } finally {
            all.forEach(Netns::close);
        }
    }
}
