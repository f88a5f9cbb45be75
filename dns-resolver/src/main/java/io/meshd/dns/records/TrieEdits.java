package io.meshd.dns.records;

import io.meshd.dns.ResourceRecord;
import java.util.Arrays;

/**
 * Adds and removes one (name, record) contribution in a {@link NameTrie}, keeping the empty non-terminals right:
 * a name exists while it has a record or a name directly below it, so a name that appears counts one more child
 * at its parent (which may appear in turn), and a name that disappears one fewer.
 */
final class TrieEdits {

    private TrieEdits() {
    }

    static NameTrie<NameEntry> add(NameTrie<NameEntry> t, byte[] name, ResourceRecord r) {
        NameEntry e = t.get(name);
        if (e == null) {
            t = t.with(NameEntry.empty(name).plus(r));
            return adjustParent(t, name, 1);
        }
        return t.with(e.plus(r));
    }

    static NameTrie<NameEntry> remove(NameTrie<NameEntry> t, byte[] name, ResourceRecord r) {
        NameEntry e = t.get(name);
        if (e == null) {
            throw new IllegalStateException("removing a record of an absent name");
        }
        NameEntry after = e.minus(r);
        if (after.exists()) {
            return t.with(after);
        }
        return adjustParent(t.without(name), name, -1);
    }

    /** Counts a child appearing (+1) or disappearing (-1) under the parent of {@code name}. */
    private static NameTrie<NameEntry> adjustParent(NameTrie<NameEntry> t, byte[] name, int delta) {
        int labelEnd = 1 + (name[0] & 0xff);
        if (name.length - labelEnd <= 1) {
            // The parent is the root, which is never a name of a view.
            return t;
        }
        byte[] parent = Arrays.copyOfRange(name, labelEnd, name.length);
        NameEntry p = t.get(parent);
        if (p == null) {
            // delta is +1 here: a parent that is absent has no children to lose.
            return adjustParent(t.with(NameEntry.empty(parent).withChildren(1)), parent, 1);
        }
        NameEntry after = p.withChildren(delta);
        if (after.exists()) {
            return t.with(after);
        }
        return adjustParent(t.without(parent), parent, -1);
    }
}
