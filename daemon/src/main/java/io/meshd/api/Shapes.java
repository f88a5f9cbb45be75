package io.meshd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.meshd.gossip.Member;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.ServiceValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON bodies of the API (docs/api.openapi.yaml), as records Jackson writes field by field in this order. */
final class Shapes {
    private Shapes() {
    }

    /** Every error: one line naming the problem, and the status again. */
    record Error(String error, int status) {
    }

    /** A gossip member. */
    record MemberJson(String name, String address, String state, long incarnation) {
        static MemberJson of(Member m) {
            return new MemberJson(m.name(), m.address().getAddress().getHostAddress() + ":" + m.address().getPort(),
                m.state().name().toLowerCase(Locale.ROOT), m.incarnation());
        }
    }

    /** A network. */
    record NetworkJson(String name, String subnet, int vni) {
        static NetworkJson of(String name, NetworkValue v) {
            return new NetworkJson(name, v.cidr(), v.vni());
        }
    }

    /** A network with its endpoints and the services on it. */
    record NetworkDetail(String name, String subnet, int vni, List<EndpointJson> endpoints, List<String> services) {
    }

    /** An endpoint, on any node. */
    record EndpointJson(String network, String name, String ip, String mac, String node, String service,
                        List<String> aliases) {
        static EndpointJson of(EndpointKey k, EndpointValue v) {
            return new EndpointJson(k.network(), k.endpoint(), v.ip().getHostAddress(), Shapes.mac(v.mac()), v.node(),
                v.service(), v.aliases());
        }
    }

    /** An attachment of this node. */
    record AttachmentJson(String network, String namespace, String name, String ip,
                          @JsonProperty("interface") String iface) {
    }

    /** A service's VIP on one network. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record NetworkVipJson(String network, String vip) {
    }

    /** A published port. */
    record PortJson(int published, int target, String protocol) {
        static PortJson of(ServiceValue.Port p) {
            return new PortJson(p.published(), p.target(), p.protocol() == ServiceValue.Port.TCP ? "tcp" : "udp");
        }
    }

    /** A service. */
    record ServiceJson(String name, String mode, List<NetworkVipJson> networks, List<PortJson> ports,
                       Map<String, Integer> weights) {
    }

    /** A service with its backends. */
    record ServiceDetail(String name, String mode, List<NetworkVipJson> networks, List<PortJson> ports,
                         Map<String, Integer> weights, List<BackendJson> backends) {
    }

    /** A backend of a service. */
    record BackendJson(String endpoint, String network, String ip, String node, int weight, boolean healthy) {
    }

    /** One metric sample. */
    record StatJson(String name, String type, Map<String, String> labels, double value) {
    }

    /** The keyring, primary first. */
    record KeysJson(List<String> keys) {
    }

    /** A raw table entry. */
    record EntryJson(String key, String value) {
    }

    /** The service's networks and VIPs. */
    static List<NetworkVipJson> networks(ServiceValue v) {
        List<NetworkVipJson> out = new ArrayList<>();
        v.networks().forEach(n -> out.add(new NetworkVipJson(n.network(),
            n.vip() == null ? null : n.vip().getHostAddress())));
        return out;
    }

    /** The service's ports. */
    static List<PortJson> ports(ServiceValue v) {
        return v.ports().stream().map(PortJson::of).toList();
    }

    /** {@code 02:42:0a:00:09:05}. */
    static String mac(long mac) {
        StringBuilder s = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (s.length() > 0) {
                s.append(':');
            }
            s.append(String.format("%02x", (mac >>> shift) & 0xff));
        }
        return s.toString();
    }
}
