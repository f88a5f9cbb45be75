package io.meshd.gossip;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The registry of declared tables: name → {@link TableScope}. A table that is not declared is
 * {@link TableScope#NODE} (today's behaviour, and what the agent's generic {@code put} uses). Given to
 * {@link GossipConfig.Builder#tables}; every member of a cluster should declare the same tables alike. Each version
 * carries its writer's scope on the wire and readers go by the version's own scope, so a member with a different
 * declaration cannot make members disagree: it only changes the scope of what it writes itself, and every member
 * that receives such a version counts it ({@code meshd_gossip_events_total{event="scope-mismatch"}}).
 */
public final class TableScopes {

    /** Longest table name, in characters. */
    public static final int MAX_NAME = 64;

    private static final TableScopes NONE = new TableScopes(Map.of());

    private final Map<String, TableScope> scopes;

    private TableScopes(Map<String, TableScope> scopes) {
        this.scopes = Collections.unmodifiableMap(new TreeMap<>(scopes));
    }

    /** No table declared: every table is node-scoped. */
    public static TableScopes none() {
        return NONE;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The scope of {@code table}: as declared, else {@link TableScope#NODE}. */
    public TableScope scope(String table) {
        return scopes.getOrDefault(table, TableScope.NODE);
    }

    /** Every declared table and its scope, by name. */
    public Map<String, TableScope> declared() {
        return scopes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableScopes t && scopes.equals(t.scopes);
    }

    @Override
    public int hashCode() {
        return scopes.hashCode();
    }

    @Override
    public String toString() {
        return scopes.toString();
    }

    /** Builds a {@link TableScopes}. */
    public static final class Builder {
        private final Map<String, TableScope> scopes = new TreeMap<>();

        private Builder() {
        }

        /** Declares {@code table} with {@code scope}; a second declaration of the same name is refused. */
        public Builder table(String table, TableScope scope) {
            Objects.requireNonNull(scope);
            if (table.isEmpty() || table.length() > MAX_NAME) {
                throw new IllegalArgumentException("table name must be 1 to " + MAX_NAME + " characters: '"
                    + table + "'");
            }
            TableScope before = scopes.putIfAbsent(table, scope);
            if (before != null) {
                throw new IllegalArgumentException("table " + table + " declared twice (" + before + ", " + scope
                    + ")");
            }
            return this;
        }

        /** Declares a {@link TableScope#CLUSTER} table. */
        public Builder cluster(String table) {
            return table(table, TableScope.CLUSTER);
        }

        /** Declares a {@link TableScope#NODE} table (the default; declaring it documents it). */
        public Builder node(String table) {
            return table(table, TableScope.NODE);
        }

        /** The registry. */
        public TableScopes build() {
            return new TableScopes(scopes);
        }
    }
}
