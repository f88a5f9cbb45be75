package io.meshd.api;

import io.meshd.Mesh;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.net.SocketAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code /v1/services}: list, create, inspect (with backends), set backend weights, remove. */
final class ServiceRoutes {
    private static final Set<String> PORT_FIELDS = Set.of("published", "target", "protocol");

    private final Mesh mesh;

    ServiceRoutes(Mesh mesh) {
        this.mesh = mesh;
    }

    void addTo(Router.Builder b) {
        b.route("GET", "/v1/services", r -> ApiReply.ok(list()))
            .route("POST", "/v1/services", this::create)
            .route("GET", "/v1/services/{name}", r -> ApiReply.ok(inspect(r.param("name"))))
            .route("PATCH", "/v1/services/{name}", this::weights)
            .route("DELETE", "/v1/services/{name}", this::remove);
    }

    private List<Shapes.ServiceJson> list() {
        List<Shapes.ServiceJson> out = new ArrayList<>();
        mesh.services().forEach((name, v) -> out.add(json(name, v)));
        return out;
    }

    private Shapes.ServiceJson json(String name, ServiceValue v) {
        return new Shapes.ServiceJson(name, v.mode().name().toLowerCase(Locale.ROOT), Shapes.networks(v),
            Shapes.ports(v), v.weights());
    }

    private ApiReply create(ApiRequest r) {
        JsonBody body = r.json("name", "network", "vip", "mode", "ports");
        String name = body.string("name");
        String network = body.string("network");
        String modeText = body.optString("mode").orElse("vip");
        ServiceValue.Mode mode = switch (modeText) {
            case "vip" -> ServiceValue.Mode.VIP;
            case "dnsrr" -> ServiceValue.Mode.DNSRR;
            default -> throw ApiError.badRequest("field 'mode': expected \"vip\" or \"dnsrr\", got \""
                + ApiError.oneLine(modeText) + "\"");
        };
        InetAddress vip = body.optString("vip").map(SocketAddresses::address).orElse(null);
        if (mode == ServiceValue.Mode.VIP && vip == null) {
            throw ApiError.badRequest("mode vip needs field 'vip' (automatic VIPs are planned)");
        }
        List<ServiceValue.Port> ports = new ArrayList<>();
        for (JsonBody p : body.objects("ports", PORT_FIELDS)) {
            int published = p.optInt("published").orElseThrow(() -> ApiError.badRequest(
                "field 'ports': missing field 'published'"));
            int target = p.optInt("target").orElse(published);
            String protocol = p.optString("protocol").orElse("tcp");
            int proto = switch (protocol) {
                case "tcp" -> ServiceValue.Port.TCP;
                case "udp" -> ServiceValue.Port.UDP;
                default -> throw ApiError.badRequest("field 'ports': protocol must be \"tcp\" or \"udp\", got \""
                    + ApiError.oneLine(protocol) + "\"");
            };
            ports.add(new ServiceValue.Port(published, target, proto));
        }
        ServiceValue v = mesh.createService(name, network, vip, mode, ports);
        return ApiReply.created(json(name, v));
    }

    private Shapes.ServiceDetail inspect(String name) {
        ServiceValue v = mesh.services().get(name);
        if (v == null) {
            throw ApiError.notFound("no service '" + name + "'");
        }
        Shapes.ServiceJson s = json(name, v);
        List<Shapes.BackendJson> backends = mesh.backends(name).stream().map(b -> new Shapes.BackendJson(
            b.endpoint(), b.network(), b.ip().getHostAddress(), b.node(), b.weight(), b.healthy())).toList();
        return new Shapes.ServiceDetail(name, s.mode(), s.networks(), s.ports(), s.weights(), backends);
    }

    private ApiReply weights(ApiRequest r) {
        String name = r.param("name");
        Map<String, Integer> weights = r.json("weights").intMap("weights");
        return ApiReply.ok(json(name, mesh.setWeights(name, weights)));
    }

    private ApiReply remove(ApiRequest r) {
        String name = r.param("name");
        if (!mesh.removeService(name)) {
            throw ApiError.notFound("no service '" + name + "'");
        }
        return ApiReply.noContent();
    }
}
