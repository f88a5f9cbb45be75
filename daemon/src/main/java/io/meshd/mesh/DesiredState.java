package io.meshd.mesh;

import io.meshd.lb.Protocol;
import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceKey;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.NodeValue;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.mesh.codec.Subnets;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes what the data plane of node {@code self} should hold from the tables:
 * <ul>
 * <li>every network's VNI;</li>
 * <li>each network's flood list: the other live nodes with a visible endpoint on it;</li>
 * <li>a neighbor (ARP answer and static forwarding entry) for every visible remote IPv4 endpoint whose node is
 * known;</li>
 * <li>for each mode-vip service with an IPv4 VIP: the VIP announced, and per published port its backends, every
 * endpoint of the service on that network, weighted as the service says ({@link ServiceValue#weightOf}, default
 * 1, 0 = drained), healthy while its owner is alive;</li>
 * <li>the DNS records ({@link DnsRecords});</li>
 * <li>the routing mesh's published ports ({@link PublishedState}).</li>
 * </ul>
 * The data plane is IPv4 only (the VTEP is): IPv6 endpoints and VIPs get DNS records only.
 */
final class DesiredState {
    private DesiredState() {
    }

    static Desired compute(MeshModel model, String self) {
        Map<String, Integer> vniOf = new HashMap<>();
        Set<Integer> vnis = new HashSet<>();
        for (Map.Entry<String, NetworkValue> n : model.networks().entrySet()) {
            vniOf.put(n.getKey(), n.getValue().vni());
            vnis.add(n.getValue().vni());
        }
        Set<Desired.Remote> remotes = new HashSet<>();
        Map<Desired.NeighborKey, Desired.Neighbor> neighbors = new HashMap<>();
        for (Map.Entry<EndpointKey, MeshModel.Endpoint> e : model.endpoints().entrySet()) {
            MeshModel.Endpoint ep = e.getValue();
            Integer vni = vniOf.get(e.getKey().network());
            EndpointValue v = ep.value();
            if (vni == null || !ep.visible() || self.equals(v.node()) || self.equals(ep.owner())) {
                continue;
            }
            NodeValue node = model.nodes().get(v.node());
            if (node == null || !(node.vtep() instanceof Inet4Address)) {
                continue;
            }
            int vtep = Subnets.ipv4(node.vtep());
            remotes.add(new Desired.Remote(vni, vtep, node.port()));
            if (v.ip() instanceof Inet4Address) {
                neighbors.put(new Desired.NeighborKey(vni, Subnets.ipv4(v.ip())),
                    new Desired.Neighbor(v.mac(), vtep, node.port()));
            }
        }
        Set<Desired.Vip> vips = new HashSet<>();
        Map<ServiceKey, List<ServiceBackend>> services = new LinkedHashMap<>();
        for (Map.Entry<String, ServiceValue> s : model.services().entrySet()) {
            balance(model, s.getKey(), s.getValue(), vniOf, vips, services);
        }
        return new Desired(vnis, remotes, neighbors, vips, services, DnsRecords.networks(model),
            PublishedState.compute(model));
    }

    private static void balance(MeshModel model, String name, ServiceValue service, Map<String, Integer> vniOf,
        Set<Desired.Vip> vips, Map<ServiceKey, List<ServiceBackend>> services) {
        if (service.mode() != ServiceValue.Mode.VIP) {
            return;
        }
        for (ServiceValue.NetworkVip nv : service.networks()) {
            Integer vni = vniOf.get(nv.network());
            if (vni == null || !(nv.vip() instanceof Inet4Address)) {
                continue;
            }
            int vip = Subnets.ipv4(nv.vip());
            vips.add(new Desired.Vip(vni, vip));
            List<Map.Entry<EndpointKey, MeshModel.Endpoint>> tasks = new ArrayList<>();
            for (Map.Entry<EndpointKey, MeshModel.Endpoint> e : model.endpoints().entrySet()) {
                EndpointValue v = e.getValue().value();
                if (e.getKey().network().equals(nv.network()) && name.equals(v.service())
                    && v.ip() instanceof Inet4Address) {
                    tasks.add(e);
                }
            }
            for (ServiceValue.Port p : service.ports()) {
                List<ServiceBackend> backends = new ArrayList<>();
                for (Map.Entry<EndpointKey, MeshModel.Endpoint> t : tasks) {
                    MeshModel.Endpoint ep = t.getValue();
                    backends.add(new ServiceBackend(Subnets.ipv4(ep.value().ip()), p.target(),
                        service.weightOf(t.getKey().endpoint()), ep.visible()));
                }
                backends.sort(Comparator.comparingInt(ServiceBackend::ip));
                Protocol proto = p.protocol() == ServiceValue.Port.TCP ? Protocol.TCP : Protocol.UDP;
                services.put(new ServiceKey(vip, p.published(), proto), List.copyOf(backends));
            }
        }
    }
}
