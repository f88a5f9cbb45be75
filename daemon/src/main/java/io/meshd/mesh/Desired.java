package io.meshd.mesh;

import io.meshd.dns.records.MeshNetwork;
import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceKey;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the data plane should hold, computed from the tables by {@link DesiredState}.
 *
 * @param vnis the networks
 * @param remotes each network's remote VTEPs
 * @param neighbors remote endpoints by network and IP
 * @param vips announced VIPs
 * @param services balanced services
 * @param records DNS records
 * @param published the routing mesh's published ports ({@link PublishedState})
 */
record Desired(Set<Integer> vnis, Set<Remote> remotes, Map<NeighborKey, Neighbor> neighbors, Set<Vip> vips,
               Map<ServiceKey, List<ServiceBackend>> services, List<MeshNetwork> records,
               Map<ServiceKey, Published> published) {

    static final Desired EMPTY = new Desired(Set.of(), Set.of(), Map.of(), Set.of(), Map.of(), List.of(),
        Map.of());

    /** A remote VTEP in a network's flood list. */
    record Remote(int vni, int vtep, int port) {
    }

    /** Where a remote endpoint is. */
    record NeighborKey(int vni, int ip) {
    }

    /** A remote endpoint's MAC and VTEP. */
    record Neighbor(long mac, int vtep, int port) {
    }

    /** A VIP announced on a network. */
    record Vip(int vni, int vip) {
    }
}
