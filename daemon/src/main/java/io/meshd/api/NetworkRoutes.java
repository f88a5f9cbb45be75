package io.meshd.api;

import io.meshd.Mesh;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.ServiceValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code /v1/networks}: list, create, inspect (with endpoints and services), remove. */
final class NetworkRoutes {
    private final Mesh mesh;

    NetworkRoutes(Mesh mesh) {
        this.mesh = mesh;
    }

    void addTo(Router.Builder b) {
        b.route("GET", "/v1/networks", r -> ApiReply.ok(list()))
            .route("POST", "/v1/networks", this::create)
            .route("GET", "/v1/networks/{name}", r -> ApiReply.ok(inspect(r.param("name"))))
            .route("DELETE", "/v1/networks/{name}", this::remove);
    }

    private List<Shapes.NetworkJson> list() {
        List<Shapes.NetworkJson> out = new ArrayList<>();
        mesh.networks().forEach((name, v) -> out.add(Shapes.NetworkJson.of(name, v)));
        return out;
    }

    private ApiReply create(ApiRequest r) throws InterruptedException {
        JsonBody body = r.json("name", "subnet", "vni");
        String name = body.string("name");
        Optional<String> subnet = body.optString("subnet");
        OptionalInt vni = body.optInt("vni");
        NetworkValue v = mesh.createNetwork(name, subnet, vni);
        return ApiReply.created(Shapes.NetworkJson.of(name, v));
    }

    private Shapes.NetworkDetail inspect(String name) {
        NetworkValue v = mesh.networks().get(name);
        if (v == null) {
            throw ApiError.notFound("no network '" + name + "'");
        }
        List<Shapes.EndpointJson> endpoints = new ArrayList<>();
        for (Map.Entry<EndpointKey, EndpointValue> e : mesh.endpoints().entrySet()) {
            if (e.getKey().network().equals(name)) {
                endpoints.add(Shapes.EndpointJson.of(e.getKey(), e.getValue()));
            }
        }
        List<String> services = new ArrayList<>();
        for (Map.Entry<String, ServiceValue> s : mesh.services().entrySet()) {
            if (s.getValue().networks().stream().anyMatch(n -> n.network().equals(name))) {
                services.add(s.getKey());
            }
        }
        return new Shapes.NetworkDetail(name, v.cidr(), v.vni(), endpoints, services);
    }

    private ApiReply remove(ApiRequest r) {
        String name = r.param("name");
        if (!mesh.removeNetwork(name)) {
            throw ApiError.notFound("no network '" + name + "'");
        }
        return ApiReply.noContent();
    }
}
