package io.meshd.vxlan.fabric;

/**
 * A local port attached to a network with its MAC.
 */
final class PortBinding {
    final int vni;
    final LocalPort port;
    final long mac;

    PortBinding(int vni, LocalPort port, long mac) {
        this.vni = vni;
        this.port = port;
        this.mac = mac;
    }
}
