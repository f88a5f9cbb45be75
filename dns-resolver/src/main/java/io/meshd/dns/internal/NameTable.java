package io.meshd.dns.internal;

import io.meshd.dns.NameNode;
import java.util.Arrays;
import java.util.Map;

/**
 * An immutable open-addressing hash table from lower-case wire names to their {@link NameNode}: lookups hash the
 * query's name bytes in place and compare arrays, so they allocate nothing.
 */
public final class NameTable {

    /** A table with no names. */
    public static final NameTable EMPTY = new NameTable(Map.of());

    private final byte[][] keys;
    private final NameNode[] values;
    private final int mask;

    /** Builds a table from wire-name keys (wrapped in {@link Key}) to nodes. */
    public NameTable(Map<Key, NameNode> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1)) << 1;
        keys = new byte[capacity][];
        values = new NameNode[capacity];
        mask = capacity - 1;
        for (Map.Entry<Key, NameNode> e : entries.entrySet()) {
            byte[] k = e.getKey().bytes;
            int slot = hash(k, k.length) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = k;
            values[slot] = e.getValue();
        }
    }

    /** The node for a lower-case wire name, or {@link NameNode#ABSENT}. */
    public NameNode find(byte[] name, int length) {
        int slot = hash(name, length) & mask;
        while (true) {
            byte[] k = keys[slot];
            if (k == null) {
                return NameNode.ABSENT;
            }
            if (k.length == length && Arrays.equals(k, 0, length, name, 0, length)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Number of names. */
    public int size() {
        int n = 0;
        for (byte[] k : keys) {
            if (k != null) {
                n++;
            }
        }
        return n;
    }

    static int hash(byte[] b, int length) {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /** A wire name as a map key while a table is being built. */
    public static final class Key {
        private final byte[] bytes;

        /** Wraps a lower-case wire name (not copied). */
        public Key(byte[] bytes) {
            this.bytes = bytes;
        }

        /** The wire name. */
        public byte[] bytes() {
            return bytes;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(bytes, ((Key) o).bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
