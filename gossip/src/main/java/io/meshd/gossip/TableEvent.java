package io.meshd.gossip;

import java.util.Arrays;
import java.util.Objects;

/** A visible change of one entry of a replicated table. */
public final class TableEvent {

    /** What happened to the entry, as readers of the table see it. */
    public enum Kind {
        /** A key appeared. */
        PUT,
        /** A visible key got a new value. */
        UPDATE,
        /** A visible key was deleted (a tombstone won). */
        DELETE,
        /** The entry's owner was declared dead or left: the entry is hidden until the owner returns. */
        HIDDEN,
        /** The owner came back with the same identity: the entry is visible again. */
        RESTORED
    }

    private final Kind kind;
    private final String table;
    private final String key;
    private final String owner;
    private final byte[] value;

    private TableEvent(Kind kind, String table, String key, String owner, byte[] value) {
        this.kind = Objects.requireNonNull(kind);
        this.table = Objects.requireNonNull(table);
        this.key = Objects.requireNonNull(key);
        this.owner = Objects.requireNonNull(owner);
        this.value = value.clone();
    }

    /** Creates an event; the value is copied. */
    public static TableEvent of(Kind kind, String table, String key, String owner, byte[] value) {
        return new TableEvent(kind, table, key, owner, value);
    }

    /** What happened. */
    public Kind kind() {
        return kind;
    }

    /** The table's name. */
    public String table() {
        return table;
    }

    /** The entry's key. */
    public String key() {
        return key;
    }

    /** The member that wrote the winning version. */
    public String owner() {
        return owner;
    }

    /** The value (empty for deletions); a copy. */
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableEvent e && kind == e.kind && table.equals(e.table) && key.equals(e.key)
            && owner.equals(e.owner) && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, table, key, owner) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return kind + " " + table + "/" + key + " by " + owner + " (" + value.length + " bytes)";
    }
}
