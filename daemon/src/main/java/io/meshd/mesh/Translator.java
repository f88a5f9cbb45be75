package io.meshd.mesh;

import io.meshd.lb.ServiceBackend;
import io.meshd.lb.ServiceKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns table changes into data-plane calls: after each batch of events the mesh thread computes the
 * {@link Desired} state and this class makes the {@link DataPlane} hold it, calling only for what differs from
 * what it was last told (networks are created first and removed last). Mesh thread only.
 */
public final class Translator {
    private final DataPlane plane;
    private final String self;
    private Desired applied = Desired.EMPTY;

    /**
     * A translator for node {@code self}.
     *
     * @param plane what it drives
     * @param self this node's name: its own endpoints are local ports, not remote neighbors
     */
    public Translator(DataPlane plane, String self) {
        this.plane = Objects.requireNonNull(plane);
        this.self = Objects.requireNonNull(self);
    }

    /** Brings the data plane to what {@code model} says. */
    public void sync(MeshModel model) {
        Desired want = DesiredState.compute(model, self);
        Desired had = applied;
        for (int vni : want.vnis()) {
            if (!had.vnis().contains(vni)) {
                plane.addNetwork(vni);
            }
        }
        for (Map.Entry<ServiceKey, List<ServiceBackend>> s : had.services().entrySet()) {
            if (!want.services().containsKey(s.getKey())) {
                plane.removeService(s.getKey());
            }
        }
        for (Desired.Vip v : had.vips()) {
            if (!want.vips().contains(v) && want.vnis().contains(v.vni())) {
                plane.withdrawVip(v.vni(), v.vip());
            }
        }
        neighbors(had, want);
        for (Desired.Remote r : had.remotes()) {
            if (!want.remotes().contains(r) && want.vnis().contains(r.vni())) {
                plane.removeRemote(r.vni(), r.vtep(), r.port());
            }
        }
        for (Desired.Remote r : want.remotes()) {
            if (!had.remotes().contains(r)) {
                plane.addRemote(r.vni(), r.vtep(), r.port());
            }
        }
        for (Desired.Vip v : want.vips()) {
            if (!had.vips().contains(v)) {
                plane.announceVip(v.vni(), v.vip());
            }
        }
        for (Map.Entry<ServiceKey, List<ServiceBackend>> s : want.services().entrySet()) {
            if (!s.getValue().equals(had.services().get(s.getKey()))) {
                plane.putService(s.getKey(), s.getValue());
            }
        }
        if (!want.published().equals(had.published())) {
            plane.published(want.published());
        }
        if (!want.records().equals(had.records())) {
            plane.records(want.records());
        }
        for (int vni : had.vnis()) {
            if (!want.vnis().contains(vni)) {
                plane.removeNetwork(vni);
            }
        }
        applied = want;
    }

    private void neighbors(Desired had, Desired want) {
        for (Map.Entry<Desired.NeighborKey, Desired.Neighbor> n : had.neighbors().entrySet()) {
            Desired.Neighbor now = want.neighbors().get(n.getKey());
            if (!n.getValue().equals(now) && want.vnis().contains(n.getKey().vni())) {
                plane.removeNeighbor(n.getKey().vni(), n.getKey().ip(), n.getValue().mac());
            }
        }
        for (Map.Entry<Desired.NeighborKey, Desired.Neighbor> n : want.neighbors().entrySet()) {
            if (!n.getValue().equals(had.neighbors().get(n.getKey()))) {
                Desired.Neighbor v = n.getValue();
                plane.addNeighbor(n.getKey().vni(), n.getKey().ip(), v.mac(), v.vtep(), v.port());
            }
        }
    }
}
