package io.meshd.vxlan.fabric;

import io.meshd.net.SnapshotMap;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Per network, the remote VTEPs that get a copy of broadcast, multicast and unknown-unicast frames from local ports
 * (head-end replication). Reads on the packet path are lock-free and allocation-free; writes copy the VNI's array.
 */
public final class FloodList {
    private static final RemoteVtep[] NONE = new RemoteVtep[0];
    private final SnapshotMap<RemoteVtep[]> targets = new SnapshotMap<>();

    /** Creates an empty list. */
    FloodList() {
    }

    /**
     * Adds a VTEP to a network's list.
     *
     * @param vni the network
     * @param vtep the VTEP
     * @return false if it was already there
     */
    public boolean add(int vni, RemoteVtep vtep) {
        Objects.requireNonNull(vtep, "vtep");
        synchronized (targets) {
            RemoteVtep[] current = targets(vni);
            if (Arrays.asList(current).contains(vtep)) {
                return false;
            }
            RemoteVtep[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = vtep;
            targets.put(vni, grown);
            return true;
        }
    }

    /**
     * Removes a VTEP from a network's list.
     *
     * @param vni the network
     * @param vtep the VTEP
     * @return whether it was there
     */
    public boolean remove(int vni, RemoteVtep vtep) {
        synchronized (targets) {
            RemoteVtep[] current = targets(vni);
            RemoteVtep[] kept = Arrays.stream(current).filter(member -> !member.equals(vtep))
                .toArray(RemoteVtep[]::new);
            if (kept.length == current.length) {
                return false;
            }
            if (kept.length == 0) {
                targets.remove(vni);
            } else {
                targets.put(vni, kept);
            }
            return true;
        }
    }

    /**
     * Removes a VTEP from every network (its node left).
     *
     * @param vtep the VTEP
     * @return from how many networks
     */
    public int removeVtep(RemoteVtep vtep) {
        synchronized (targets) {
            int removed = 0;
            for (long vni : targets.keys()) {
                if (remove((int) vni, vtep)) {
                    removed++;
                }
            }
            return removed;
        }
    }

    /**
     * Drops a network's list.
     *
     * @param vni the network
     */
    public void removeNetwork(int vni) {
        targets.remove(vni);
    }

    /**
     * A network's VTEPs, for the API and CLI.
     *
     * @param vni the network
     * @return an immutable copy in insertion order
     */
    public List<RemoteVtep> members(int vni) {
        return List.of(targets(vni));
    }

    /** The live array for the packet path; never modified after publication, never to be modified by callers. */
    RemoteVtep[] targets(int vni) {
        RemoteVtep[] members = targets.getOrNull(vni);
        return members == null ? NONE : members;
    }
}
