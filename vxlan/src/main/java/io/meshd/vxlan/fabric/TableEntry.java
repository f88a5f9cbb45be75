package io.meshd.vxlan.fabric;

/**
 * What {@link KeyedTable} stores: an immutable key of a VNI and a 64-bit value (a MAC, an IPv4 address).
 */
abstract class TableEntry {
    final int vni;
    final long key;

    TableEntry(int vni, long key) {
        this.vni = vni;
        this.key = key;
    }
}
