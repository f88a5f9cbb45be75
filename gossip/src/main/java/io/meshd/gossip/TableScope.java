package io.meshd.gossip;

/**
 * Who keeps a replicated table's entries visible. Declared per table in {@link GossipConfig.Builder#table}; a table
 * that is not declared is {@link #NODE}. The scope travels with every version on the wire, so every member decides
 * an entry's visibility from the entry itself and all members agree even when their declarations differ.
 */
public enum TableScope {
    /**
     * Entries belong to the member that wrote them: hidden while it is dead or left, visible again when it returns
     * under the same name, removed when it is forgotten (after the reconnect timeout). Endpoints, node records.
     */
    NODE,
    /**
     * Entries belong to the cluster: visible whoever wrote them and whether the writer is alive, until a newer
     * version or a tombstone wins; never removed with their writer. Networks, services, allocation claims.
     */
    CLUSTER
}
