package io.meshd.vxlan.fabric;

import io.meshd.packet.MacAddress;

import java.util.Map;
import java.util.TreeMap;

/**
 * IPv4 neighbors per network, (VNI, IPv4) to MAC, as the control plane knows them; the ARP responder answers from
 * it. {@link #lookup(int, int)} is lock-free and allocation-free from any thread; writes are serialised.
 */
public final class NeighborTable {
    /** What {@link #lookup(int, int)} returns for an unknown neighbor. */
    public static final long NONE = -1;
    private final KeyedTable table = new KeyedTable();

    /** Creates an empty table. */
    NeighborTable() {
    }

    /**
     * Sets or replaces the MAC of an address.
     *
     * @param vni the network
     * @param ip the IPv4 address
     * @param mac its MAC (unicast)
     * @throws IllegalArgumentException if the MAC is a group address or zero
     */
    public void put(int vni, int ip, long mac) {
        if (!MacAddress.isValidSource(mac)) {
            throw new IllegalArgumentException("not a station MAC: " + MacAddress.format(mac));
        }
        table.put(new Neighbor(vni, ip, mac));
    }

    /**
     * Removes an address.
     *
     * @param vni the network
     * @param ip the IPv4 address
     * @return whether it was there
     */
    public boolean remove(int vni, int ip) {
        return table.remove(vni, key(ip)) != null;
    }

    /**
     * Removes every address of a network.
     *
     * @param vni the network
     * @return how many went
     */
    public int removeNetwork(int vni) {
        return table.removeIf(entry -> entry.vni == vni);
    }

    /**
     * The MAC of an address. Lock-free and allocation-free.
     *
     * @param vni the network
     * @param ip the IPv4 address
     * @return the MAC bits, or {@link #NONE} (-1)
     */
    public long lookup(int vni, int ip) {
        TableEntry entry = table.get(vni, key(ip));
        return entry == null ? NONE : ((Neighbor) entry).mac;
    }

    /**
     * The neighbors of a network, for the API and CLI (allocates).
     *
     * @param vni the network
     * @return IPv4 address (as an unsigned long for ordering) to MAC, sorted by address
     */
    public Map<Long, Long> entries(int vni) {
        Map<Long, Long> entries = new TreeMap<>();
        for (TableEntry entry : table.entries(entry -> entry.vni == vni)) {
            entries.put(entry.key, ((Neighbor) entry).mac);
        }
        return entries;
    }

    /**
     * Entries over every network.
     *
     * @return the count
     */
    public int size() {
        return table.size();
    }

    private static long key(int ip) {
        return ip & 0xFFFF_FFFFL;
    }

    private static final class Neighbor extends TableEntry {
        final long mac;

        Neighbor(int vni, int ip, long mac) {
            super(vni, key(ip));
            this.mac = mac;
        }
    }
}
