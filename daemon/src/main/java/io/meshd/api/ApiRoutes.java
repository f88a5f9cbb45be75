package io.meshd.api;

import io.meshd.Mesh;
import io.meshd.gossip.security.Keyring;
import io.meshd.net.metrics.MetricSource;
import java.util.Optional;

/** Every route of the API v1 for one {@link Mesh} node. */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    /**
     * The routes answering for {@code mesh}.
     *
     * @param keyring the gossip keys, if the agent encrypts ({@code /v1/keys} answers 409 otherwise)
     * @param metrics what {@code /v1/stats} lists (the agent's registry)
     */
    public static Router of(Mesh mesh, Optional<Keyring> keyring, MetricSource metrics) {
        Router.Builder b = Router.builder();
        new NodeRoutes(mesh::members, mesh.parts().gossip(), keyring, metrics).addTo(b);
        new NetworkRoutes(mesh).addTo(b);
        new AttachmentRoutes(mesh).addTo(b);
        new ServiceRoutes(mesh).addTo(b);
        return b.build();
    }
}
