package io.meshd.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * A Linux kernel VXLAN device inside a lab host: the reference the user-space VTEP is compared against.
 * Created with {@code ip link add NAME type vxlan id VNI local IP dstport PORT [nolearning]}; broadcast and
 * unknown unicast are replicated to each remote through an all-zeros FDB entry.
 */
public final class KernelVxlan {

    private static final String ALL_ZEROS = "00:00:00:00:00:00";

    private final LabHost host;
    private final String name;
    private final int vni;

    private KernelVxlan(LabHost host, String name, int vni) {
        this.host = host;
        this.name = name;
        this.vni = vni;
    }

    static Builder builder(LabHost host, String name) {
        return new Builder(host, name);
    }

    /** The device name. */
    public String name() {
        return name;
    }

    /** The VXLAN network identifier. */
    public int vni() {
        return vni;
    }

    /** The host the device lives in. */
    public LabHost host() {
        return host;
    }

    /** Sends frames for {@code mac} to the VTEP at {@code remoteIp} ({@code bridge fdb append}). */
    public KernelVxlan addFdb(String mac, String remoteIp) {
        host.execOk("bridge", "fdb", "append", mac, "dev", name, "dst", remoteIp);
        return this;
    }

    /** A permanent neighbour entry so the kernel never ARPs for {@code ip} ({@code ip neigh replace}). */
    public KernelVxlan addNeighbor(String ip, String mac) {
        host.execOk("ip", "neigh", "replace", ip, "lladdr", mac, "dev", name, "nud", "permanent");
        return this;
    }

    /** Adds an overlay address, e.g. {@code "10.200.0.1/24"}, to the device. */
    public KernelVxlan addAddress(String cidr) {
        host.addAddress(name, cidr);
        return this;
    }

    /** The device's MAC address. */
    public String mac() {
        return host.mac(name);
    }

    @Override
    public String toString() {
        return "KernelVxlan[" + name + " vni " + vni + " in " + host.shortName() + "]";
    }

    /** Options of a kernel VXLAN device; {@link #create()} makes it and brings it up. */
    public static final class Builder {

        private final LabHost host;
        private final String name;
        private final List<String> remotes = new ArrayList<>();
        private int vni = -1;
        private String local = "";
        private int dstPort = 4789;
        private boolean learning = true;
        private String mac = "";
        private int mtu;

        private Builder(LabHost host, String name) {
            this.host = host;
            this.name = name;
        }

        /** The VNI, 0 to 16777215 (required). */
        public Builder vni(int value) {
            if (value < 0 || value > 0xffffff) {
                throw new IllegalArgumentException("VNI out of range: " + value);
            }
            this.vni = value;
            return this;
        }

        /** The local underlay address (required). */
        public Builder local(String ip) {
            this.local = ip;
            return this;
        }

        /** The UDP destination port; 4789 (IANA) unless set. */
        public Builder dstPort(int port) {
            this.dstPort = port;
            return this;
        }

        /** Whether the device learns source MACs; off gives {@code nolearning}. */
        public Builder learning(boolean value) {
            this.learning = value;
            return this;
        }

        /** A remote VTEP that receives broadcast and unknown unicast (an all-zeros FDB entry). */
        public Builder remote(String ip) {
            remotes.add(ip);
            return this;
        }

        /** A fixed MAC address for the device. */
        public Builder mac(String value) {
            this.mac = value;
            return this;
        }

        /** The device MTU; the kernel picks underlay MTU minus 50 unless set. */
        public Builder mtu(int value) {
            this.mtu = value;
            return this;
        }

        /** Creates the device, adds the remotes' FDB entries and brings it up. */
        public KernelVxlan create() {
            if (vni < 0 || local.isEmpty()) {
                throw new IllegalStateException("a kernel VXLAN device needs vni(...) and local(...)");
            }
            List<String> argv = new ArrayList<>(List.of("ip", "link", "add", name, "type", "vxlan",
                "id", Integer.toString(vni), "local", local, "dstport", Integer.toString(dstPort)));
            if (!learning) {
                argv.add("nolearning");
            }
            host.execOk(argv.toArray(new String[0]));
            if (!mac.isEmpty()) {
                host.execOk("ip", "link", "set", name, "address", mac);
            }
            if (mtu > 0) {
                host.execOk("ip", "link", "set", name, "mtu", Integer.toString(mtu));
            }
            KernelVxlan device = new KernelVxlan(host, name, vni);
            for (String remote : remotes) {
                device.addFdb(ALL_ZEROS, remote);
            }
            host.execOk("ip", "link", "set", name, "up");
            return device;
        }
    }
}
