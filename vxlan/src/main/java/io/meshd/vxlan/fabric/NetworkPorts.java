package io.meshd.vxlan.fabric;

import io.meshd.net.SnapshotMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The fabric's registry of networks and the local ports attached to each: which VNIs exist, which port belongs to
 * which network with which MAC. The packet path reads it lock-free and allocation-free ({@link #network},
 * {@link #binding}); writes are serialised on this object and publish whole snapshots ({@link SnapshotMap}).
 * Attaching a port also installs the static forwarding entry for its MAC, under the same lock, so a port is never
 * visible without it.
 */
final class NetworkPorts {
    private final SnapshotMap<Network> networks = new SnapshotMap<>();
    private final SnapshotMap<PortBinding> bindings = new SnapshotMap<>();
    private final ForwardingTable forwardingTable;

    NetworkPorts(ForwardingTable forwardingTable) {
        this.forwardingTable = forwardingTable;
    }

    /** The network with this VNI, or null: the packet path's lookup. */
    Network network(int vni) {
        return networks.getOrNull(vni);
    }

    /** Where the port with this id is attached, or null: the packet path's lookup. */
    PortBinding binding(int portId) {
        return bindings.getOrNull(portId);
    }

    /** Adds a network with no ports unless it exists. */
    void addNetwork(int vni) {
        networks.compute(vni, current -> current != null ? current : new Network(vni, new LocalPort[0]));
    }

    /** Removes a network and the bindings of its ports; whether it existed. */
    synchronized boolean removeNetwork(int vni) {
        Network removed = networks.remove(vni).orElse(null);
        if (removed == null) {
            return false;
        }
        for (LocalPort port : removed.ports) {
            bindings.remove(port.id());
        }
        return true;
    }

    /** The VNIs, ascending. */
    List<Integer> vnis() {
        List<Integer> vnis = new ArrayList<>();
        for (long key : networks.keys()) {
            vnis.add((int) key);
        }
        return vnis;
    }

    /** The ports of a network, empty if there is no such network. */
    List<LocalPort> ports(int vni) {
        Network network = networks.getOrNull(vni);
        return network == null ? List.of() : List.of(network.ports);
    }

    /**
     * Attaches a port with the static forwarding entry for its MAC.
     *
     * @throws IllegalStateException if the network does not exist or the port id is taken
     */
    synchronized void attach(int vni, LocalPort port, long mac) {
        if (networks.getOrNull(vni) == null) {
            throw new IllegalStateException("no network " + vni);
        }
        if (bindings.getOrNull(port.id()) != null) {
            throw new IllegalStateException("port id " + port.id() + " is already attached");
        }
        forwardingTable.putLocal(vni, mac, port);
        bindings.put(port.id(), new PortBinding(vni, port, mac));
        networks.compute(vni, network -> network.with(port));
    }

    /** Detaches a port (not its forwarding entries); whether this very port was attached. */
    synchronized boolean detach(LocalPort port) {
        PortBinding binding = bindings.getOrNull(port.id());
        if (binding == null || binding.port != port) {
            return false;
        }
        bindings.remove(port.id());
        networks.compute(binding.vni, network -> network == null ? null : network.without(port));
        return true;
    }
}
