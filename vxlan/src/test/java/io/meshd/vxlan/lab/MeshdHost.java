package io.meshd.vxlan.lab;

import io.meshd.shims.NetNs;
import io.meshd.vxlan.frame.Ipv4;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.tap.TapPort;
import io.meshd.vxlan.vtep.Transport;
import io.meshd.vxlan.vtep.UdpVtep;
import io.meshd.vxlan.vtep.VtepNode;
import java.net.Inet4Address;
import java.net.InetAddress;

/** A lab host running a meshd VTEP in this JVM, its sockets inside the host's namespace. */
public final class MeshdHost implements AutoCloseable {

    private final Netns host;
    private final NetNs handle;
    private final VtepNode node;

    private MeshdHost(Netns host, NetNs handle, VtepNode node) {
        this.host = host;
        this.handle = handle;
        this.node = node;
    }

    /** Starts a VTEP bound to {@code underlayIp} in {@code host}. */
    public static MeshdHost start(Netns host, String underlayIp, Transport transport, boolean learning,
        boolean flooding) throws Exception {
        NetNs handle = NetNs.named(host.name());
        try {
            Inet4Address local = (Inet4Address) InetAddress.getByName(underlayIp);
            VtepNode node = VtepNode.builder().vtep(UdpVtep.builder().local(local).transport(transport)
                .namespace(handle).socketBufferBytes(1 << 20)).learning(learning).flooding(flooding).start();
            return new MeshdHost(host, handle, node);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /** The VTEP node. */
    public VtepNode node() {
        return node;
    }

    /** The host namespace. */
    public Netns host() {
        return host;
    }

    /** Creates network {@code vni} with the given remote VTEPs. */
    public MeshdHost network(int vni, String... remotes) {
        node.addNetwork(vni);
        for (String r : remotes) {
            node.addRemote(vni, Ipv4.parse(r));
        }
        return this;
    }

    /** Attaches {@code eth0} with {@code cidr} in {@code container} to network {@code vni}. */
    public TapPort attach(int vni, Netns container, String cidr) {
        return node.attach(vni, Attachment.parse(container.name() + ":eth0:" + cidr, Attachment.DEFAULT_MTU));
    }

    @Override
    public void close() {
        try {
            node.close();
        } finally {
            handle.close();
        }
    }
}
