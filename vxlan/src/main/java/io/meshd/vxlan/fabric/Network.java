package io.meshd.vxlan.fabric;

import java.util.Arrays;

/**
 * One network (VNI) of the fabric: its local ports, as an array the packet path iterates without locking or
 * allocating. Immutable; the fabric replaces it to add or remove a port.
 */
final class Network {
    final int vni;
    final LocalPort[] ports;

    Network(int vni, LocalPort[] ports) {
        this.vni = vni;
        this.ports = ports;
    }

    Network with(LocalPort port) {
        LocalPort[] grown = Arrays.copyOf(ports, ports.length + 1);
        grown[ports.length] = port;
        return new Network(vni, grown);
    }

    Network without(LocalPort port) {
        return new Network(vni, Arrays.stream(ports).filter(p -> p != port).toArray(LocalPort[]::new));
    }
}
