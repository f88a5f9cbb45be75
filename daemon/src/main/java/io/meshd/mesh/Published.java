package io.meshd.mesh;

import io.meshd.lb.ServiceBackend;
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
}
