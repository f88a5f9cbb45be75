package io.meshd.gossip.internal;

import io.meshd.gossip.TableEvent;
import io.meshd.gossip.TableEvent.Kind;
import io.meshd.gossip.internal.Message.TableUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The replicated tables: last-writer-wins registers ordered by (Lamport clock, owner), deletions kept as
 * tombstones until reaped, node-scoped entries of a member that is dead or left hidden from readers (not deleted)
 * so they come back if it returns; cluster-scoped entries (the version's own flag) are visible whoever wrote them.
 * Nothing here ever removes a visible entry because a message was missing: only a newer version, a tombstone, or
 * (node-scoped) the owner's death changes what readers see. Protocol thread only.
 */
public final class TableStore {

    private static final byte[] EMPTY = new byte[0];

    private static final class Entry {
        TableUpdate version;
        long changedNanos;

        Entry(TableUpdate version, long now) {
            this.version = version;
            this.changedNanos = now;
        }
    }

    private final String self;
    private final Predicate<String> ownerLive;
    private final Consumer<TableEvent> events;
    private final Map<String, Map<String, Entry>> tables = new TreeMap<>();
    private long lamport;

    /**
     * A store for node {@code self}; {@code ownerLive} tells whether a member's entries are visible, {@code events}
     * receives every visible change.
     */
    public TableStore(String self, Predicate<String> ownerLive, Consumer<TableEvent> events) {
        this.self = self;
        this.ownerLive = ownerLive;
        this.events = events;
    }

    /** The Lamport clock: above every clock seen. */
    public long clock() {
        return lamport;
    }

    /** Writes {@code value} to a node-scoped table as this node; returns the version to broadcast. */
    public TableUpdate put(String table, String key, byte[] value, long now) {
        return put(table, key, value, false, now);
    }

    /**
     * Writes {@code value} as this node, in a cluster-scoped table if {@code cluster}; returns the version to
     * broadcast.
     */
    public TableUpdate put(String table, String key, byte[] value, boolean cluster, long now) {
        TableUpdate u = new TableUpdate(table, key, self, ++lamport, false, cluster, value.clone());
        apply(u, now);
        return u;
    }

    /** Deletes {@code key} from a node-scoped table as this node; empty if there is nothing to delete. */
    public Optional<TableUpdate> delete(String table, String key, long now) {
        return delete(table, key, false, now);
    }

    /**
     * Deletes {@code key} as this node (a tombstone, cluster-scoped if {@code cluster}); empty if there is nothing
     * to delete.
     */
    public Optional<TableUpdate> delete(String table, String key, boolean cluster, long now) {
        Entry e = tables.getOrDefault(table, Map.of()).get(key);
        if (e == null || e.version.deleted()) {
            return Optional.empty();
        }
        TableUpdate u = new TableUpdate(table, key, self, ++lamport, true, cluster, EMPTY);
        apply(u, now);
        return Optional.of(u);
    }

    /** Merges a version from the network; true if it won (so it should be spread further). */
    public boolean apply(TableUpdate u, long now) {
        lamport = Math.max(lamport, u.clock());
        Map<String, Entry> t = tables.computeIfAbsent(u.table(), k -> new LinkedHashMap<>());
        Entry e = t.get(u.key());
        if (e != null && compare(e.version, u) >= 0) {
            return false;
        }
        boolean before = e != null && visible(e.version);
        if (e == null) {
            e = new Entry(u, now);
            t.put(u.key(), e);
        } else {
            e.version = u;
            e.changedNanos = now;
        }
        boolean after = visible(u);
        if (after) {
            emit(before ? Kind.UPDATE : Kind.PUT, u);
        } else if (before && u.deleted()) {
            emit(Kind.DELETE, u);
        }
        return true;
    }

    /** Total order of versions: clock, then owner, then tombstone over value, then cluster, then value bytes. */
    static int compare(TableUpdate a, TableUpdate b) {
        int c = Long.compare(a.clock(), b.clock());
        if (c == 0) {
            c = a.owner().compareTo(b.owner());
        }
        if (c == 0) {
            c = Boolean.compare(a.deleted(), b.deleted());
        }
        if (c == 0) {
            c = Boolean.compare(a.cluster(), b.cluster());
        }
        if (c == 0) {
            c = Arrays.compare(a.value(), b.value());
        }
        return c;
    }

    private boolean visible(TableUpdate u) {
        return !u.deleted() && (u.cluster() || u.owner().equals(self) || ownerLive.test(u.owner()));
    }

    private void emit(Kind kind, TableUpdate u) {
        events.accept(TableEvent.of(kind, u.table(), u.key(), u.owner(), u.value()));
    }

    /** The visible value of {@code key}. */
    public Optional<byte[]> get(String table, String key) {
        Entry e = tables.getOrDefault(table, Map.of()).get(key);
        return e != null && visible(e.version) ? Optional.of(e.version.value().clone()) : Optional.empty();
    }

    /** Every visible entry of {@code table}, keys sorted. */
    public Map<String, byte[]> entries(String table) {
        Map<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, Entry> e : tables.getOrDefault(table, Map.of()).entrySet()) {
            if (visible(e.getValue().version)) {
                out.put(e.getKey(), e.getValue().version.value().clone());
            }
        }
        return out;
    }

    /**
     * The entries of {@code table} whose winning version {@code owner} wrote and that are not deleted, keys sorted:
     * hidden ones included (a dead owner's node-scoped entries), so a restarted member finds what it wrote before.
     */
    public Map<String, byte[]> entries(String table, String owner) {
        Map<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, Entry> e : tables.getOrDefault(table, Map.of()).entrySet()) {
            TableUpdate u = e.getValue().version;
            if (!u.deleted() && u.owner().equals(owner)) {
                out.put(e.getKey(), u.value().clone());
            }
        }
        return out;
    }

    /** Names of tables holding at least one version. */
    public List<String> tableNames() {
        return new ArrayList<>(tables.keySet());
    }

    /** Every version held, tombstones and hidden ones included (for push-pull). */
    public List<TableUpdate> snapshot() {
        List<TableUpdate> out = new ArrayList<>();
        for (Map<String, Entry> t : tables.values()) {
            for (Entry e : t.values()) {
                out.add(e.version);
            }
        }
        return out;
    }

    /**
     * Tells watchers that {@code owner}'s entries became hidden (it died or left) or visible again (it returned).
     * Call after the member's state changed.
     */
    public void ownerChanged(String owner, boolean nowLive) {
        for (Map<String, Entry> t : tables.values()) {
            for (Entry e : t.values()) {
                TableUpdate u = e.version;
                if (u.owner().equals(owner) && !u.deleted() && !u.cluster()) {
                    emit(nowLive ? Kind.RESTORED : Kind.HIDDEN, u);
                }
            }
        }
    }

    /** Removes tombstones older than {@code ttlNanos}. */
    public void reap(long now, long ttlNanos) {
        removeIf(e -> e.version.deleted() && now - e.changedNanos >= ttlNanos);
    }

    /**
     * Removes every node-scoped version owned by {@code owner}, a member forgotten after its reconnect timeout.
     * Cluster-scoped versions stay: they outlive their writer.
     */
    public void forget(String owner) {
        if (!owner.equals(self)) {
            removeIf(e -> e.version.owner().equals(owner) && !e.version.cluster());
        }
    }

    private void removeIf(Predicate<Entry> doomed) {
        for (Iterator<Map<String, Entry>> ti = tables.values().iterator(); ti.hasNext();) {
            Map<String, Entry> t = ti.next();
            t.values().removeIf(doomed);
            if (t.isEmpty()) {
                ti.remove();
            }
        }
    }
}
