package io.meshd.vxlan.tap;

import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import java.util.Objects;

/**
 * What to attach: a container's network namespace, the interface name inside it, its IPv4 address and prefix,
 * its MAC (default {@code 02:42} + the IPv4 bytes, like Docker) and MTU (default 1450 = 1500 - 50 of VXLAN over
 * IPv4). Parsed from the command line's {@code NETNS:IFNAME:IP/PREFIX[:MAC]}.
 */
public final class Attachment {

    /** The default MTU: a 1500-byte underlay minus 50 bytes of outer Ethernet, IPv4, UDP and VXLAN headers. */
    public static final int DEFAULT_MTU = 1450;

    private final String namespace;
    private final String interfaceName;
    private final int ipv4;
    private final int prefixLength;
    private final long mac;
    private final int mtu;

    private Attachment(Builder b) {
        this.namespace = b.namespace;
        this.interfaceName = b.interfaceName;
        this.ipv4 = b.ipv4;
        this.prefixLength = b.prefixLength;
        this.mac = b.mac == -1 ? MacAddress.fromIpv4(b.ipv4) : b.mac;
        this.mtu = b.mtu;
    }

    /** A builder; namespace and address are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses {@code NETNS:IFNAME:IP/PREFIX[:MAC]} (an empty IFNAME means {@code eth0}).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Attachment parse(String spec, int mtu) {
        // The MAC has colons too: split off the first three fields, the rest is the MAC.
        String[] head = spec.split(":", 4);
        if (head.length < 3) {
            throw new IllegalArgumentException("bad attachment '" + spec + "' (expected NETNS:IFNAME:IP/PREFIX[:MAC])");
        }
        Builder b = builder().namespace(head[0]).mtu(mtu);
        if (!head[1].isEmpty()) {
            b.interfaceName(head[1]);
        }
        String[] cidr = head[2].split("/", -1);
        if (cidr.length != 2) {
            throw new IllegalArgumentException("bad address '" + head[2] + "' in '" + spec + "' (expected IP/PREFIX)");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length '" + cidr[1] + "' in '" + spec + "'", e);
        }
        int ip;
        try {
            ip = Ipv4.parse(cidr[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + cidr[0] + "' in '" + spec + "' is not an IPv4 address", e);
        }
        b.ipv4(ip, prefix);
        if (head.length == 4) {
            try {
                b.mac(MacAddress.parse(head[3]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad MAC in '" + spec + "': " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /** The namespace: its name (as in {@code ip netns}) or the absolute path it was opened from. */
    public String namespace() {
        return namespace;
    }

    /** The interface name inside the namespace. */
    public String interfaceName() {
        return interfaceName;
    }

    /** The IPv4 address as an int. */
    public int ipv4() {
        return ipv4;
    }

    /** The prefix length of the address. */
    public int prefixLength() {
        return prefixLength;
    }

    /** The MAC as the low 48 bits of a long. */
    public long mac() {
        return mac;
    }

    /** The MTU. */
    public int mtu() {
        return mtu;
    }

    @Override
    public String toString() {
        return namespace + ":" + interfaceName + ":" + Ipv4.format(ipv4) + "/" + prefixLength + ":"
            + MacAddress.format(mac) + " mtu " + mtu;
    }

    /** Options of an {@link Attachment}. */
    public static final class Builder {
        private String namespace;
        private String interfaceName = "eth0";
        private int ipv4;
        private int prefixLength = -1;
        private long mac = -1;
        private int mtu = DEFAULT_MTU;

        private Builder() {
        }

        /**
         * The namespace (required): a name, as {@code ip netns add} made it, or the absolute path of a network
         * namespace file ({@code /proc/PID/ns/net}, a bind mount).
         */
        public Builder namespace(String value) {
            if (value.isEmpty() || value.contains("/") && !value.startsWith("/")) {
                throw new IllegalArgumentException("bad namespace name '" + value + "'");
            }
            this.namespace = value;
            return this;
        }

        /** The interface name inside the namespace, 1 to 15 characters (default {@code eth0}). */
        public Builder interfaceName(String value) {
            if (value.isEmpty() || value.length() > 15 || value.contains("/") || value.contains(" ")) {
                throw new IllegalArgumentException("bad interface name '" + value + "' (1 to 15 characters)");
            }
            this.interfaceName = value;
            return this;
        }

        /** The IPv4 address and prefix length (required). */
        public Builder ipv4(int address, int prefix) {
            if (prefix < 1 || prefix > 32) {
                throw new IllegalArgumentException("prefix length must be 1..32: " + prefix);
            }
            this.ipv4 = address;
            this.prefixLength = prefix;
            return this;
        }

        /** The MAC (default {@code 02:42} + the IPv4 bytes); must be unicast. */
        public Builder mac(long value) {
            if (MacAddress.isMulticast(value) || value == 0) {
                throw new IllegalArgumentException("MAC must be a non-zero unicast address: "
                    + MacAddress.format(value));
            }
            this.mac = value;
            return this;
        }

        /** The MTU, 68..65000 (default 1450). */
        public Builder mtu(int value) {
            if (value < 68 || value > 65000) {
                throw new IllegalArgumentException("MTU must be 68..65000: " + value);
            }
            this.mtu = value;
            return this;
        }

        /** The attachment. */
        public Attachment build() {
            Objects.requireNonNull(namespace, "namespace");
            if (prefixLength < 0) {
                throw new IllegalStateException("an IPv4 address is required");
            }
            return new Attachment(this);
        }
    }
}
