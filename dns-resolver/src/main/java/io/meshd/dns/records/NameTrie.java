package io.meshd.dns.records;

import io.meshd.dns.NameNode;
import java.util.Arrays;

/**
 * A persistent hash array mapped trie from byte-string keys to entries (lower-case wire names to
 * {@link NameEntry}s; a name's record keys to {@link NameEntry.Slot}s): {@link #with} and
 * {@link #without} return a new trie that shares every node off the changed path with this one (at most seven
 * levels of at most 32 slots are copied), and {@link #find} walks it without allocating. Immutable, so a trie can be
 * published to readers with one volatile write.
 *
 * <pre>
 *   hash(name) = FNV-1a of the name's bytes, 32 bits
 *   level k (k = 0..6) indexes a bitmap node with bits 5k..5k+4 of the hash
 *   names whose 32 hash bits are all equal share a collision node (linear scan)
 * </pre>
 */
final class NameTrie<E extends NameTrie.Entry> {

    /** What a trie holds: an immutable entry with a byte-string key and its {@link #hash(byte[], int)}. */
    interface Entry {
        byte[] key();

        int hash();
    }

    @SuppressWarnings("rawtypes")
    private static final NameTrie EMPTY = new NameTrie(null, 0);

    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;
    private static final int HASH_BITS = 32;

    /** A {@link BitmapNode}, or null for the empty trie. */
    private final BitmapNode root;
    private final int size;

    private NameTrie(BitmapNode root, int size) {
        this.root = root;
        this.size = size;
    }

    /** The trie with no entries. */
    @SuppressWarnings("unchecked")
    static <E extends Entry> NameTrie<E> empty() {
        return EMPTY;
    }

    /** Number of names. */
    int size() {
        return size;
    }

    /** The node of a name, or {@link NameNode#ABSENT}; allocates nothing. */
    static NameNode find(NameTrie<NameEntry> names, byte[] name, int length) {
        NameEntry e = names.lookup(name, length);
        return e == null ? NameNode.ABSENT : e.node();
    }

    /** The entry of a whole-array key, or null. */
    E get(byte[] key) {
        return lookup(key, key.length);
    }

    /** The entry of the first {@code length} bytes of {@code name}, or null; allocates nothing. */
    @SuppressWarnings("unchecked")
    E lookup(byte[] name, int length) {
        if (root == null) {
            return null;
        }
        int h = hash(name, length);
        Object node = root;
        int shift = 0;
        while (true) {
            if (node instanceof BitmapNode) {
                BitmapNode b = (BitmapNode) node;
                int bit = 1 << ((h >>> shift) & MASK);
                if ((b.bitmap & bit) == 0) {
                    return null;
                }
                Object slot = b.slots[Integer.bitCount(b.bitmap & (bit - 1))];
                if (slot instanceof Entry) {
                    E e = (E) slot;
                    return matches(e, name, length) ? e : null;
                }
                node = slot;
                shift += BITS;
            } else {
                for (Entry e : ((CollisionNode) node).entries) {
                    if (matches(e, name, length)) {
                        return (E) e;
                    }
                }
                return null;
            }
        }
    }

    private static boolean matches(Entry e, byte[] name, int length) {
        byte[] key = e.key();
        return key.length == length && Arrays.equals(key, 0, length, name, 0, length);
    }

    private static boolean sameKey(Entry a, Entry b) {
        return a.hash() == b.hash() && Arrays.equals(a.key(), b.key());
    }

    /** This trie with the entry added, or replacing the entry of the same key. */
    NameTrie<E> with(E entry) {
        if (root == null) {
            return new NameTrie<>(BitmapNode.single(entry, 0), 1);
        }
        boolean[] added = new boolean[1];
        BitmapNode r = (BitmapNode) put(root, 0, entry, added);
        return new NameTrie<>(r, added[0] ? size + 1 : size);
    }

    /** This trie without the key (this trie itself when the key is absent). */
    NameTrie<E> without(byte[] key) {
        if (get(key) == null) {
            return this;
        }
        Object r = remove(root, 0, key, hash(key, key.length));
        if (r == null) {
            return empty();
        }
        BitmapNode newRoot = r instanceof Entry ? BitmapNode.single((Entry) r, 0) : (BitmapNode) r;
        return new NameTrie<>(newRoot, size - 1);
    }

    private static Object put(Object node, int shift, Entry entry, boolean[] added) {
        if (node instanceof CollisionNode) {
            Entry[] entries = ((CollisionNode) node).entries;
            for (int i = 0; i < entries.length; i++) {
                if (sameKey(entries[i], entry)) {
                    Entry[] copy = entries.clone();
                    copy[i] = entry;
                    return new CollisionNode(copy);
                }
            }
            Entry[] copy = Arrays.copyOf(entries, entries.length + 1);
            copy[entries.length] = entry;
            added[0] = true;
            return new CollisionNode(copy);
        }
        BitmapNode b = (BitmapNode) node;
        int bit = 1 << ((entry.hash() >>> shift) & MASK);
        int index = Integer.bitCount(b.bitmap & (bit - 1));
        if ((b.bitmap & bit) == 0) {
            added[0] = true;
            Object[] slots = new Object[b.slots.length + 1];
            System.arraycopy(b.slots, 0, slots, 0, index);
            slots[index] = entry;
            System.arraycopy(b.slots, index, slots, index + 1, b.slots.length - index);
            return new BitmapNode(b.bitmap | bit, slots);
        }
        Object slot = b.slots[index];
        Object replacement;
        if (slot instanceof Entry) {
            Entry old = (Entry) slot;
            if (sameKey(old, entry)) {
                replacement = entry;
            } else {
                added[0] = true;
                replacement = pair(shift + BITS, old, entry);
            }
        } else {
            replacement = put(slot, shift + BITS, entry, added);
        }
        Object[] slots = b.slots.clone();
        slots[index] = replacement;
        return new BitmapNode(b.bitmap, slots);
    }

    private static Object pair(int shift, Entry a, Entry b) {
        if (shift >= HASH_BITS) {
            return new CollisionNode(new Entry[] {a, b});
        }
        int ia = (a.hash() >>> shift) & MASK;
        int ib = (b.hash() >>> shift) & MASK;
        if (ia == ib) {
            return new BitmapNode(1 << ia, new Object[] {pair(shift + BITS, a, b)});
        }
        return new BitmapNode((1 << ia) | (1 << ib), ia < ib ? new Object[] {a, b} : new Object[] {b, a});
    }

    /**
     * Removes a key known to be present below {@code node}. Returns the new node, a lone {@link Entry} for
     * the parent to inline, or null when nothing is left.
     */
    private static Object remove(Object node, int shift, byte[] key, int h) {
        if (node instanceof CollisionNode) {
            Entry[] entries = ((CollisionNode) node).entries;
            if (entries.length == 2) {
                return matches(entries[0], key, key.length) ? entries[1] : entries[0];
            }
            Entry[] copy = new Entry[entries.length - 1];
            int j = 0;
            for (Entry e : entries) {
                if (!matches(e, key, key.length)) {
                    copy[j++] = e;
                }
            }
            return new CollisionNode(copy);
        }
        BitmapNode b = (BitmapNode) node;
        int bit = 1 << ((h >>> shift) & MASK);
        int index = Integer.bitCount(b.bitmap & (bit - 1));
        Object slot = b.slots[index];
        Object replacement = slot instanceof Entry ? null : remove(slot, shift + BITS, key, h);
        if (replacement == null) {
            if (b.slots.length == 1) {
                return null;
            }
            Object[] slots = new Object[b.slots.length - 1];
            System.arraycopy(b.slots, 0, slots, 0, index);
            System.arraycopy(b.slots, index + 1, slots, index, slots.length - index);
            if (slots.length == 1 && slots[0] instanceof Entry && shift > 0) {
                return slots[0];
            }
            return new BitmapNode(b.bitmap & ~bit, slots);
        }
        if (replacement instanceof Entry && b.slots.length == 1 && shift > 0) {
            return replacement;
        }
        Object[] slots = b.slots.clone();
        slots[index] = replacement;
        return new BitmapNode(b.bitmap, slots);
    }

    /** FNV-1a over the name's bytes, folded. */
    static int hash(byte[] b, int length) {
        int h = 0x811C9DC5;
        for (int i = 0; i < length; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    /** Up to 32 slots, each an {@link Entry} or a deeper node, present where the bitmap has a bit. */
    private static final class BitmapNode {
        final int bitmap;
        final Object[] slots;

        BitmapNode(int bitmap, Object[] slots) {
            this.bitmap = bitmap;
            this.slots = slots;
        }

        static BitmapNode single(Entry e, int shift) {
            return new BitmapNode(1 << ((e.hash() >>> shift) & MASK), new Object[] {e});
        }
    }

    /** Entries whose 32-bit hashes are equal. */
    private static final class CollisionNode {
        final Entry[] entries;

        CollisionNode(Entry[] entries) {
            this.entries = entries;
        }
    }
}
