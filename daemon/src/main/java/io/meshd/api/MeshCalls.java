package io.meshd.api;

import io.meshd.Mesh;
import io.meshd.mesh.codec.NetworkValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@link Mesh} calls whose facade methods are still to come (an automatic subnet, backend weights): answered
 * 501 until they exist, so the rest of the API does not wait for them.
 */
final class MeshCalls {
    private MeshCalls() {
    }

    /** Creates a network; without a subnet: 501 for now. */
    static NetworkValue createNetwork(Mesh mesh, String name, Optional<String> subnet, OptionalInt vni)
        throws InterruptedException {
        if (subnet.isEmpty()) {
            throw ApiError.of(501, "automatic subnets are not implemented yet: give \"subnet\", e.g. 10.0.9.0/24");
        }
        return mesh.createNetwork(name, subnet.get(), vni);
    }

    /** Sets backend weights: 501 for now. */
    static void setWeights(Mesh mesh, String service, Map<String, Integer> weights) {
        throw ApiError.of(501, "backend weights are not implemented yet");
    }

    /** The service's backend weights set so far (none yet). */
    static Map<String, Integer> weights(Mesh mesh, String service) {
        return Map.of();
    }

    /** The service's backends: the endpoints attached with it on live nodes, weight 1, healthy. */
    static List<Shapes.BackendJson> backends(Mesh mesh, String service) {
        return mesh.endpoints().entrySet().stream().filter(e -> e.getValue().service().equals(service))
            .map(e -> new Shapes.BackendJson(e.getKey().endpoint(), e.getKey().network(),
                e.getValue().ip().getHostAddress(), e.getValue().node(), 1, true)).toList();
    }
}
