package io.meshd.mesh;

import io.meshd.dns.records.MeshEndpoint;
import io.meshd.dns.records.MeshNetwork;
import io.meshd.dns.records.MeshService;
import io.meshd.dns.records.ServiceMode;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.ServiceValue;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DNS records of the tables: per network, every visible endpoint (its name, aliases and, if it is a task, its
 * service) and every service on the network (mode vip: its VIP; dnsrr: its tasks). The responder derives
 * {@code tasks.<service>}, {@code <name>.<network>} and PTR records from these. A name the table allows but DNS
 * does not (a label of 64 bytes, leading dot) is left out of DNS, and so are the routing mesh's ingress endpoints
 * ({@link PublishedPorts}).
 */
final class DnsRecords {
    private DnsRecords() {
    }

    static List<MeshNetwork> networks(MeshModel model) {
        Map<String, List<MeshEndpoint>> endpoints = new LinkedHashMap<>();
        Map<String, List<MeshService>> services = new LinkedHashMap<>();
        for (String n : model.networks().keySet()) {
            endpoints.put(n, new ArrayList<>());
            services.put(n, new ArrayList<>());
        }
        for (Map.Entry<EndpointKey, MeshModel.Endpoint> e : model.endpoints().entrySet()) {
            List<MeshEndpoint> list = endpoints.get(e.getKey().network());
            EndpointValue v = e.getValue().value();
            if (list == null || !e.getValue().visible() || PublishedPorts.isIngress(e.getKey().endpoint())) {
                continue;
            }
            try {
                list.add(new MeshEndpoint(e.getKey().endpoint(), v.aliases(), List.of(v.ip()),
                    v.service().isEmpty() ? List.of() : List.of(v.service()), MeshNetwork.DEFAULT_TTL));
            } catch (IllegalArgumentException notDns) {
                // a table name that is no DNS name: no records
            }
        }
        for (Map.Entry<String, ServiceValue> s : model.services().entrySet()) {
            ServiceValue v = s.getValue();
            ServiceMode mode = v.mode() == ServiceValue.Mode.VIP ? ServiceMode.VIP : ServiceMode.DNSRR;
            for (ServiceValue.NetworkVip nv : v.networks()) {
                List<MeshService> list = services.get(nv.network());
                if (list == null) {
                    continue;
                }
                List<InetAddress> vips = nv.vip() == null ? List.of() : List.of(nv.vip());
                try {
                    list.add(new MeshService(s.getKey(), mode, vips, List.of(), MeshNetwork.DEFAULT_TTL));
                } catch (IllegalArgumentException notDns) {
                    // as above
                }
            }
        }
        List<MeshNetwork> out = new ArrayList<>();
        for (String n : model.networks().keySet()) {
            try {
                out.add(new MeshNetwork(n, endpoints.get(n), services.get(n)));
            } catch (IllegalArgumentException notDns) {
                // as above
            }
        }
        return out;
    }
}
