package io.meshd.harness;

import java.util.List;
import java.util.Map;

/**
 * A shared Ethernet segment: a bridge inside a dedicated switch namespace, with one veth from each member host
 * plugged into it. Every host has the same interface name on the segment.
 */
public final class LabSegment {

    private final String iface;
    private final String switchNamespace;
    private final Map<LabHost, String> addresses;

    LabSegment(String iface, String switchNamespace, Map<LabHost, String> addresses) {
        this.iface = iface;
        this.switchNamespace = switchNamespace;
        this.addresses = Map.copyOf(addresses);
    }

    /** The interface name of the segment inside every member host. */
    public String iface() {
        return iface;
    }

    /** The member's address on the segment without the prefix, e.g. {@code 10.80.0.2}. */
    public String address(LabHost host) {
        String address = addresses.get(host);
        if (address == null) {
            throw new IllegalArgumentException(host.name() + " is not on segment " + iface);
        }
        return address;
    }

    /** The member hosts. */
    public List<LabHost> hosts() {
        return List.copyOf(addresses.keySet());
    }

    /** The name of the namespace holding the bridge (for captures on the switch, if ever needed). */
    public String switchNamespace() {
        return switchNamespace;
    }
}
