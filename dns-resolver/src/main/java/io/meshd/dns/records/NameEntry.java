package io.meshd.dns.records;

import io.meshd.dns.NameNode;
import io.meshd.dns.RecordList;
import io.meshd.dns.ResourceRecord;
import io.meshd.dns.internal.WireNames;

/**
 * One name of a live view: its distinct records, how many contributions (endpoints, services, networks) gave each
 * one, and how many names exist directly below it. A name with no records exists while names exist below it (an
 * empty non-terminal, RFC 8020). Immutable: every change makes a new entry that shares all it can with the old
 * one (the records are a chunked {@link RecordList}, the counts a trie keyed by the records' bytes), so adding
 * the ten-thousand-and-first task of a service copies a few small arrays, not ten thousand records.
 */
final class NameEntry implements NameTrie.Entry {

    private final byte[] key;
    private final int hash;
    private final RecordList records;
    private final NameTrie<Slot> slots;
    private final int children;
    private final NameNode node;

    private NameEntry(byte[] key, int hash, RecordList records, NameTrie<Slot> slots, int children) {
        this.key = key;
        this.hash = hash;
        this.records = records;
        this.slots = slots;
        this.children = children;
        this.node = records.size() > 0 ? NameNode.of(records) : NameNode.EMPTY_NON_TERMINAL;
    }

    /** A name with no records and no names below it yet. */
    static NameEntry empty(byte[] key) {
        return new NameEntry(key, NameTrie.hash(key, key.length), RecordList.EMPTY, NameTrie.empty(), 0);
    }

    @Override
    public byte[] key() {
        return key;
    }

    @Override
    public int hash() {
        return hash;
    }

    NameNode node() {
        return node;
    }

    int children() {
        return children;
    }

    /** Whether the name exists: it has records or names below it. */
    boolean exists() {
        return records.size() > 0 || children > 0;
    }

    /** This entry with one more contribution of {@code r} (a new record, or one more count of an equal one). */
    NameEntry plus(ResourceRecord r) {
        byte[] k = recordKey(r);
        Slot s = slots.get(k);
        if (s != null) {
            return new NameEntry(key, hash, records, slots.with(s.counted(1)), children);
        }
        Slot added = new Slot(k, records.size(), 1);
        return new NameEntry(key, hash, records.plus(r), slots.with(added), children);
    }

    /** This entry with one contribution of {@code r} fewer; the record goes when its count reaches zero. */
    NameEntry minus(ResourceRecord r) {
        byte[] k = recordKey(r);
        Slot s = slots.get(k);
        if (s == null) {
            throw new IllegalStateException("record " + r + " is not in " + this);
        }
        if (s.count > 1) {
            return new NameEntry(key, hash, records, slots.with(s.counted(-1)), children);
        }
        int last = records.size() - 1;
        NameTrie<Slot> t = slots.without(k);
        if (s.index != last) {
            // removeAt moves the last record into the freed index: its slot follows.
            Slot moved = t.get(recordKey(records.get(last)));
            t = t.with(moved.at(s.index));
        }
        return new NameEntry(key, hash, records.removeAt(s.index), t, children);
    }

    /** This entry with {@code delta} more names directly below it. */
    NameEntry withChildren(int delta) {
        return new NameEntry(key, hash, records, slots, children + delta);
    }

    /**
     * A record's identity: equal keys for records that write the same bytes (type, TTL, RDATA, compressibility).
     */
    static byte[] recordKey(ResourceRecord r) {
        byte[] head = r.rdataHead();
        byte[] tail = r.rdataTail();
        int length = 8 + head.length + tail.length;
        for (byte[] n : r.rdataNames()) {
            length += n.length;
        }
        byte[] k = new byte[length];
        k[0] = (byte) (r.type() >> 8);
        k[1] = (byte) r.type();
        k[2] = (byte) (r.ttl() >>> 24);
        k[3] = (byte) (r.ttl() >>> 16);
        k[4] = (byte) (r.ttl() >>> 8);
        k[5] = (byte) r.ttl();
        k[6] = (byte) (r.compressible() ? 1 : 0);
        k[7] = (byte) head.length;
        int at = 8;
        System.arraycopy(head, 0, k, at, head.length);
        at += head.length;
        // Wire names delimit themselves (they end with the root's zero byte), so the tail that follows is unambiguous.
        for (byte[] n : r.rdataNames()) {
            System.arraycopy(n, 0, k, at, n.length);
            at += n.length;
        }
        System.arraycopy(tail, 0, k, at, tail.length);
        return k;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NameEntry[").append(WireNames.toDotted(key, 0));
        for (int i = 0; i < records.size(); i++) {
            sb.append(", ").append(records.get(i));
        }
        return sb.append(", children ").append(children).append(']').toString();
    }

    /** Where a record sits in the name's list and how many contributions gave it. */
    static final class Slot implements NameTrie.Entry {
        private final byte[] key;
        private final int hash;
        final int index;
        final int count;

        Slot(byte[] key, int index, int count) {
            this(key, NameTrie.hash(key, key.length), index, count);
        }

        private Slot(byte[] key, int hash, int index, int count) {
            this.key = key;
            this.hash = hash;
            this.index = index;
            this.count = count;
        }

        Slot counted(int delta) {
            return new Slot(key, hash, index, count + delta);
        }

        Slot at(int newIndex) {
            return new Slot(key, hash, newIndex, count);
        }

        @Override
        public byte[] key() {
            return key;
        }

        @Override
        public int hash() {
            return hash;
        }
    }
}
