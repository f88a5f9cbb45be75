package io.meshd.daemon;

import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceSpec;
import io.meshd.lb.proxy.L4Proxy;
import io.meshd.lb.proxy.ProxyBackend;
import io.meshd.net.IoTransport;
import io.meshd.net.SocketAddresses;
import io.meshd.packet.Ipv4;
import io.meshd.shims.NamedNamespaces;
import io.meshd.shims.NetNs;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.meshd.vxlan.tap.Attachment;
import io.meshd.vxlan.tap.TapPort;
import io.meshd.vxlan.vtep.VtepNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The routing mesh of one node: published ports that answer in the node's own namespace and forward each client to
 * a backend on the overlay, as Docker's ingress network does.
 *
 * <p>The node reaches the overlay through its ingress attachment: a namespace of its own with a TAP on the
 * overlay network and an address there. Each published port is an {@link L4Proxy} whose listening socket is created
 * in the node's namespace and whose event-loop threads live in the ingress namespace, so every connection towards a
 * backend leaves through the overlay. The backend is Maglev's pick for the client's address and port, inputs that do
 * not depend on which node received the client: every node sends one client to the same backend. UDP clients are
 * pinned by the proxy's sessions (one per client address and port, ended when idle). Without the PROXY protocol a
 * backend sees the ingress address; with it, the first bytes of each TCP connection carry the client's address.
 */
public final class RoutingMesh implements AutoCloseable {
    private final VtepNode node;
    private final String namespace;
    private final NetNs ingress;
    private final TapPort port;
    private final List<L4Proxy> proxies = new ArrayList<>();
    /** Every proxy's event loops, one per core, their threads in the ingress namespace. */
    private final EventLoopGroup loops;

    private RoutingMesh(VtepNode node, String namespace, NetNs ingress, TapPort port, IoTransport transport) {
        this.node = node;
        this.namespace = namespace;
        this.ingress = ingress;
        this.port = port;
        this.loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
            ingress.threadFactory(), transport.resolve().ioHandlerFactory());
    }

    /**
     * Parses a published port, {@code [ADDR:]PORT[/tcp|/udp]=BACKEND:PORT[=WEIGHT],...}; without an address it
     * listens on every address of the node.
     *
     * @param text the text
     * @return the port as a service whose VIP is the listen address
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ServiceSpec parsePublished(String text) {
        int equals = text.indexOf('=');
        boolean hasAddress = equals > 0 && text.substring(0, equals).contains(":");
        return ServiceSpec.parse(hasAddress ? text : "0.0.0.0:" + text);
    }

    /**
     * Creates the ingress attachment and starts a proxy per published port. On failure, whatever was made is
     * removed.
     *
     * @param node the node's VTEP
     * @param vni the ingress network
     * @param ingress the ingress attachment: its namespace (created here, so a name unique on the host) and its
     *     address on the network
     * @param ports the published ports
     * @param proxyProtocol whether TCP connections to backends start with a PROXY v2 header
     * @param transport the I/O transport
     * @return the running mesh
     * @throws InterruptedException if interrupted while binding
     */
    public static RoutingMesh start(VtepNode node, int vni, Attachment ingress, List<ServiceSpec> ports,
        boolean proxyProtocol, IoTransport transport) throws InterruptedException {
        String namespace = ingress.namespace();
        NetNs handle = NamedNamespaces.create(namespace);
        RoutingMesh mesh;
        try {
            mesh = new RoutingMesh(node, namespace, handle, node.attach(vni, ingress), transport);
        } catch (RuntimeException e) {
            handle.close();
            NamedNamespaces.delete(namespace);
            throw e;
        }
        try {
            for (ServiceSpec published : ports) {
                mesh.proxies.add(proxy(published, mesh.loops, proxyProtocol, transport));
            }
        } catch (InterruptedException | RuntimeException e) {
            mesh.close();
            throw e;
        }
        return mesh;
    }

    private static L4Proxy proxy(ServiceSpec published, EventLoopGroup loops, boolean proxyProtocol,
        IoTransport transport) throws InterruptedException {
        L4Proxy.Builder b = L4Proxy.builder()
            .listen(address(published.key().vip(), published.key().port()))
            .protocol(published.key().protocol()).proxyProtocol(proxyProtocol).transport(transport)
            .group(loops);
        for (ServiceBackend backend : published.backends()) {
            b.backend(new ProxyBackend(address(backend.ip(), backend.port()), backend.weight()));
        }
        return b.start();
    }

    private static InetSocketAddress address(int ip, int port) {
        return SocketAddresses.parse(Ipv4.format(ip) + ":" + port);
    }

    /**
     * The running proxies, one per published port, in the order given.
     *
     * @return the proxies
     */
    public List<L4Proxy> proxies() {
        return List.copyOf(proxies);
    }

    /** Stops the proxies, removes the ingress attachment and its namespace. */
    @Override
    public void close() {
        for (L4Proxy proxy : proxies) {
            proxy.close();
        }
        proxies.clear();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            node.detach(port);
        } finally {
            ingress.close();
            NamedNamespaces.delete(namespace);
        }
    }
}
