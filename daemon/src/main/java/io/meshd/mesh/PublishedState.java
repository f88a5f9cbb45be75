package io.meshd.mesh;

import io.meshd.lb.Protocol;
import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceKey;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.mesh.codec.Subnets;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The routing mesh's desired state from the tables: for every service (mode vip or dnsrr) with ports, per port a
 * listener on {@code 0.0.0.0:published} (the key's address is 0) whose backends are the service's visible IPv4
 * endpoints, on any of its networks that exists, at the target port, weighted as the service says (a drained
 * one, weight 0, is left out by the proxy). Two services publishing one port and
 * protocol (refused at create, {@link #publisher}, but two nodes may write them at once): the first by name keeps it.
 * The same on every node, so every node forwards alike.
 */
public final class PublishedState {
    private PublishedState() {
    }

    /** How many endpoints of {@code keys} are on {@code network}, not counting ingress endpoints. */
    public static long attachedBesidesIngress(Collection<EndpointKey> keys, String network) {
        return keys.stream().filter(k -> k.network().equals(network) && !PublishedPorts.isIngress(k.endpoint()))
            .count();
    }

    /** The service other than {@code service} that publishes {@code port}'s published port and protocol, if any. */
    public static Optional<String> publisher(MeshModel model, String service, ServiceValue.Port port) {
        for (Map.Entry<String, ServiceValue> s : model.services().entrySet()) {
            for (ServiceValue.Port q : s.getValue().ports()) {
                if (!s.getKey().equals(service) && q.published() == port.published()
                    && q.protocol() == port.protocol()) {
                    return Optional.of(s.getKey());
                }
            }
        }
        return Optional.empty();
    }

    static Map<ServiceKey, Published> compute(MeshModel model) {
        Map<ServiceKey, Published> out = new LinkedHashMap<>();
        for (Map.Entry<String, ServiceValue> s : new TreeMap<>(model.services()).entrySet()) {
            ServiceValue service = s.getValue();
            if (service.ports().isEmpty()) {
                continue;
            }
            TreeSet<String> networks = new TreeSet<>();
            List<Map.Entry<EndpointKey, EndpointValue>> tasks = new ArrayList<>();
            for (ServiceValue.NetworkVip nv : service.networks()) {
                if (!model.networks().containsKey(nv.network())) {
                    continue;
                }
                networks.add(nv.network());
                for (Map.Entry<EndpointKey, MeshModel.Endpoint> e : model.endpoints().entrySet()) {
                    EndpointValue v = e.getValue().value();
                    if (e.getKey().network().equals(nv.network()) && s.getKey().equals(v.service())
                        && e.getValue().visible() && v.ip() instanceof Inet4Address) {
                        tasks.add(Map.entry(e.getKey(), v));
                    }
                }
            }
            if (networks.isEmpty()) {
                continue;
            }
            for (ServiceValue.Port p : service.ports()) {
                Protocol proto = p.protocol() == ServiceValue.Port.TCP ? Protocol.TCP : Protocol.UDP;
                ServiceKey listen = new ServiceKey(0, p.published(), proto);
                if (out.containsKey(listen)) {
                    continue;
                }
                List<ServiceBackend> backends = new ArrayList<>();
                for (Map.Entry<EndpointKey, EndpointValue> t : tasks) {
                    backends.add(new ServiceBackend(Subnets.ipv4(t.getValue().ip()), p.target(),
                        service.weightOf(t.getKey().endpoint()), true));
                }
                backends.sort(Comparator.comparingInt(ServiceBackend::ip));
                out.put(listen, new Published(s.getKey(), List.copyOf(networks), backends));
            }
        }
        return out;
    }
}
