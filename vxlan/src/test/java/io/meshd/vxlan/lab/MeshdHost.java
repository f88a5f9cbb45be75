package io.meshd.vxlan.lab;

import io.meshd.harness.Lab;
import io.meshd.harness.LabHost;
import io.meshd.net.IoTransport;
import io.meshd.packet.Ipv4;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.tap.TapPort;
import io.meshd.vxlan.vtep.UdpVtep;
import io.meshd.vxlan.vtep.VtepNode;
import java.net.Inet4Address;
import java.net.InetAddress;

/** A lab host running a meshd VTEP in this JVM, its sockets inside the host's namespace. */
final class MeshdHost implements AutoCloseable {

    private final LabHost host;
    private final VtepNode node;

    private MeshdHost(LabHost host, VtepNode node) {
        this.host = host;
        this.node = node;
    }

    /** Starts a VTEP bound to {@code underlayIp} in {@code host}. */
    static MeshdHost start(LabHost host, String underlayIp, IoTransport transport) throws Exception {
        return start(host, underlayIp, transport, 1);
    }

    /** Starts a VTEP with {@code receiveSockets} sockets sharing the VXLAN port ({@code SO_REUSEPORT}). */
    static MeshdHost start(LabHost host, String underlayIp, IoTransport transport, int receiveSockets)
        throws Exception {
        return start(host, underlayIp, transport, receiveSockets, 1);
    }

    /** The same with {@code tapQueues} queues per attached TAP. */
    static MeshdHost start(LabHost host, String underlayIp, IoTransport transport, int receiveSockets, int tapQueues)
        throws Exception {
        Inet4Address local = (Inet4Address) InetAddress.getByName(underlayIp);
        VtepNode node = VtepNode.builder().vtep(UdpVtep.builder().local(local).transport(transport)
            .namespace(host.netns()).socketBufferBytes(1 << 20).receiveSockets(receiveSockets))
            .tapQueues(tapQueues).start();
        return new MeshdHost(host, node);
    }

    /**
     * A container: a lab host with IPv6 off, so no router solicitation or MLD report is flooded across the
     * overlay while a test counts datagrams.
     */
    static LabHost container(Lab lab, String name) {
        LabHost c = lab.host(name);
        c.execOk("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        return c;
    }

    /** The VTEP node. */
    VtepNode node() {
        return node;
    }

    /** The host. */
    LabHost host() {
        return host;
    }

    /** Creates network {@code vni} with the given remote VTEPs. */
    MeshdHost network(int vni, String... remotes) {
        node.addNetwork(vni);
        for (String r : remotes) {
            node.addRemote(vni, Ipv4.parse(r));
        }
        return this;
    }

    /** Attaches {@code eth0} with {@code cidr} in {@code container} to network {@code vni}. */
    TapPort attach(int vni, LabHost container, String cidr) {
        return node.attach(vni, Attachment.parse(container.name() + ":eth0:" + cidr, Attachment.DEFAULT_MTU));
    }

    @Override
    public void close() {
        node.close();
    }
}
