package io.meshd.mesh;

import io.meshd.lb.ServiceBackend;
import io.meshd.lb.proxy.ProxyBackend;
import io.meshd.net.SocketAddresses;
import io.meshd.packet.Ipv4;
import java.util.ArrayList;
import java.util.List;

/**
 * What one published port of the routing mesh forwards to: the service that publishes it, the networks its backends
 * are on (the node's ingress attachment must be on each), and the backends, every live endpoint of the service at
 * the target port (endpoints of dead nodes are left out, not marked down: the proxy cannot reach them).
 *
 * @param service the service's name
 * @param networks the networks of its backends, sorted
 * @param backends the live backends, ordered by address
 */
public record Published(String service, List<String> networks, List<ServiceBackend> backends) {
    /** Copies the lists. */
    public Published {
        networks = List.copyOf(networks);
        backends = List.copyOf(backends);
    }

    /** The proxy's backends: those with a weight (a drained one gets no new connection; the proxy pins none). */
    public List<ProxyBackend> proxyBackends() {
        List<ProxyBackend> out = new ArrayList<>(backends.size());
        for (ServiceBackend b : backends) {
            if (b.weight() > 0) {
                out.add(new ProxyBackend(SocketAddresses.parse(Ipv4.format(b.ip()) + ":" + b.port()), b.weight()));
            }
        }
        return out;
    }
}
