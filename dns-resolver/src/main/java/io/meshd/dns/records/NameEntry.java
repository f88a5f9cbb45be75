package io.meshd.dns.records;

import io.meshd.dns.NameNode;
import io.meshd.dns.ResourceRecord;
import java.util.Arrays;
import java.util.List;

/**
 * One name of a live view: its distinct records, how many contributions (endpoints, services, networks) gave each
 * one, and how many names exist directly below it. A name with no records exists while names exist below it (an
 * empty non-terminal, RFC 8020). Immutable: every change makes a new entry; the {@link NameNode} the query path
 * returns is built once per change.
 */
final class NameEntry {

    private static final ResourceRecord[] NO_RECORDS = new ResourceRecord[0];
    private static final int[] NO_COUNTS = new int[0];

    private final byte[] key;
    private final int hash;
    private final ResourceRecord[] records;
    private final int[] counts;
    private final int children;
    private final NameNode node;

    private NameEntry(byte[] key, int hash, ResourceRecord[] records, int[] counts, int children) {
        this.key = key;
        this.hash = hash;
        this.records = records;
        this.counts = counts;
        this.children = children;
        this.node = records.length > 0 ? NameNode.of(List.of(records)) : NameNode.EMPTY_NON_TERMINAL;
    }

    /** A name with no records and no names below it yet. */
    static NameEntry empty(byte[] key) {
        return new NameEntry(key, NameTrie.hash(key, key.length), NO_RECORDS, NO_COUNTS, 0);
    }

    byte[] key() {
        return key;
    }

    int hash() {
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
        return records.length > 0 || children > 0;
    }

    boolean matches(byte[] name, int length) {
        return key.length == length && Arrays.equals(key, 0, length, name, 0, length);
    }

    boolean sameKey(NameEntry other) {
        return hash == other.hash && Arrays.equals(key, other.key);
    }

    /** This entry with one more contribution of {@code r} (a new record, or one more count of an equal one). */
    NameEntry plus(ResourceRecord r) {
        int i = indexOf(r);
        if (i >= 0) {
            int[] c = counts.clone();
            c[i]++;
            return new NameEntry(key, hash, records, c, children);
        }
        ResourceRecord[] rs = Arrays.copyOf(records, records.length + 1);
        rs[records.length] = r;
        int[] c = Arrays.copyOf(counts, counts.length + 1);
        c[counts.length] = 1;
        return new NameEntry(key, hash, rs, c, children);
    }

    /** This entry with one contribution of {@code r} fewer; the record goes when its count reaches zero. */
    NameEntry minus(ResourceRecord r) {
        int i = indexOf(r);
        if (i < 0) {
            throw new IllegalStateException("record " + r + " is not in " + this);
        }
        if (counts[i] > 1) {
            int[] c = counts.clone();
            c[i]--;
            return new NameEntry(key, hash, records, c, children);
        }
        ResourceRecord[] rs = new ResourceRecord[records.length - 1];
        int[] c = new int[counts.length - 1];
        System.arraycopy(records, 0, rs, 0, i);
        System.arraycopy(records, i + 1, rs, i, rs.length - i);
        System.arraycopy(counts, 0, c, 0, i);
        System.arraycopy(counts, i + 1, c, i, c.length - i);
        return new NameEntry(key, hash, rs, c, children);
    }

    /** This entry with {@code delta} more names directly below it. */
    NameEntry withChildren(int delta) {
        return new NameEntry(key, hash, records, counts, children + delta);
    }

    private int indexOf(ResourceRecord r) {
        for (int i = 0; i < records.length; i++) {
            if (same(records[i], r)) {
                return i;
            }
        }
        return -1;
    }

    /** Records are equal when they would write the same bytes. */
    static boolean same(ResourceRecord a, ResourceRecord b) {
        return a == b || a.type() == b.type() && a.ttl() == b.ttl() && a.compressible() == b.compressible()
            && Arrays.equals(a.rdataHead(), b.rdataHead()) && Arrays.equals(a.rdataTail(), b.rdataTail())
            && Arrays.deepEquals(a.rdataNames(), b.rdataNames());
    }

    @Override
    public String toString() {
        return "NameEntry[" + io.meshd.dns.internal.WireNames.toDotted(key, 0) + ", " + Arrays.toString(records)
            + ", children " + children + "]";
    }
}
