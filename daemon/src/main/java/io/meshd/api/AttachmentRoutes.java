package io.meshd.api;

import io.meshd.AttachSpec;
import io.meshd.Mesh;
import io.meshd.LocalAttachment;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.net.SocketAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code /v1/attachments}: this node's attachments; attach a namespace to a network; detach it. */
final class AttachmentRoutes {
    private static final Set<String> FIELDS = Set.of("network", "namespace", "ip", "name", "aliases", "service");

    private final Mesh mesh;

    AttachmentRoutes(Mesh mesh) {
        this.mesh = mesh;
    }

    void addTo(Router.Builder b) {
        b.route("GET", "/v1/attachments", r -> ApiReply.ok(list()))
            .route("POST", "/v1/attachments", this::attach)
            .route("DELETE", "/v1/attachments", this::detach);
    }

    private List<Shapes.AttachmentJson> list() {
        List<Shapes.AttachmentJson> out = new ArrayList<>();
        for (LocalAttachment l : mesh.attachments()) {
            out.add(new Shapes.AttachmentJson(l.network(), l.namespace(), l.name(), l.ip().getHostAddress(),
                l.interfaceName()));
        }
        return out;
    }

    private ApiReply attach(ApiRequest r) throws InterruptedException {
        JsonBody body = r.json(FIELDS.toArray(String[]::new));
        String network = body.string("network");
        AttachSpec spec = Mesh.attachment(network, body.string("namespace"));
        body.optString("ip").ifPresent(ip -> spec.ip(SocketAddresses.address(ip)));
        body.optString("name").ifPresent(spec::name);
        body.strings("aliases").forEach(spec::alias);
        body.optString("service").filter(s -> !s.isEmpty()).ifPresent(spec::service);
        EndpointValue v = mesh.attach(spec);
        String name = mesh.attachments().stream()
            .filter(l -> l.network().equals(network) && l.ip().equals(v.ip()))
            .map(LocalAttachment::name).findFirst().orElseThrow();
        return ApiReply.created(Shapes.EndpointJson.of(new EndpointKey(network, name), v));
    }

    private ApiReply detach(ApiRequest r) {
        String network = r.query("network");
        String namespace = r.query("namespace");
        if (!mesh.detach(network, namespace)) {
            throw ApiError.notFound("namespace '" + namespace + "' is not attached to '" + network + "' here");
        }
        return ApiReply.noContent();
    }
}
