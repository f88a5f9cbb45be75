package io.meshd.harness;

import java.util.Optional;

/** A veth pair between two lab hosts, with the interface name and address (if any) at each end. */
public final class LabLink {

    private final LabHost hostA;
    private final String ifaceA;
    private final Optional<String> cidrA;
    private final LabHost hostB;
    private final String ifaceB;
    private final Optional<String> cidrB;

    LabLink(LabHost hostA, String ifaceA, Optional<String> cidrA, LabHost hostB, String ifaceB,
            Optional<String> cidrB) {
        this.hostA = hostA;
        this.ifaceA = ifaceA;
        this.cidrA = cidrA;
        this.hostB = hostB;
        this.ifaceB = ifaceB;
        this.cidrB = cidrB;
    }

    /** The first host. */
    public LabHost hostA() {
        return hostA;
    }

    /** The interface name of the link inside the first host. */
    public String ifaceA() {
        return ifaceA;
    }

    /** The first host's address on the link without the prefix, e.g. {@code 10.1.0.1}. */
    public String addressA() {
        return cidrA.map(c -> c.substring(0, c.indexOf('/'))).orElseThrow(() ->
            new IllegalStateException("link " + ifaceA + " has no address in " + hostA.name()));
    }

    /** The second host. */
    public LabHost hostB() {
        return hostB;
    }

    /** The interface name of the link inside the second host. */
    public String ifaceB() {
        return ifaceB;
    }

    /** The second host's address on the link without the prefix. */
    public String addressB() {
        return cidrB.map(c -> c.substring(0, c.indexOf('/'))).orElseThrow(() ->
            new IllegalStateException("link " + ifaceB + " has no address in " + hostB.name()));
    }

    /** The interface name of the link inside {@code host}, which must be one of its ends. */
    public String iface(LabHost host) {
        if (host == hostA) {
            return ifaceA;
        }
        if (host == hostB) {
            return ifaceB;
        }
        throw new IllegalArgumentException(host.name() + " is not on link " + ifaceA + "/" + ifaceB);
    }

    @Override
    public String toString() {
        return hostA.name() + ":" + ifaceA + cidrA.map(c -> "(" + c + ")").orElse("") + " <-> "
            + hostB.name() + ":" + ifaceB + cidrB.map(c -> "(" + c + ")").orElse("");
    }
}
