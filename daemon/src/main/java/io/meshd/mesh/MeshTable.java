package io.meshd.mesh;

import io.meshd.gossip.TableScopes;

/** The mesh's replicated tables (docs/gossip.md, "The mesh's tables"). */
public enum MeshTable {
    /** Cluster-scoped: network name → {@link io.meshd.mesh.codec.NetworkValue}. */
    NETWORKS("networks"),
    /** Cluster-scoped: service name → {@link io.meshd.mesh.codec.ServiceValue}. */
    SERVICES("services"),
    /** Node-scoped: {@code <network>/<endpoint>} → {@link io.meshd.mesh.codec.EndpointValue}. */
    ENDPOINTS("endpoints"),
    /** Node-scoped: node name → {@link io.meshd.mesh.codec.NodeValue}. */
    NODES("nodes"),
    /** Cluster-scoped allocation claims ({@link io.meshd.gossip.alloc.BlockAllocator}). */
    IPAM("ipam");

    private final String table;

    MeshTable(String table) {
        this.table = table;
    }

    /** The table's name in gossip. */
    public String table() {
        return table;
    }

    /** The table for a gossip table name, or null when it is none of the mesh's. */
    public static MeshTable of(String name) {
        for (MeshTable t : values()) {
            if (t.table.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The declarations every mesh member uses. */
    public static TableScopes scopes() {
        return TableScopes.builder().cluster(NETWORKS.table).cluster(SERVICES.table).node(ENDPOINTS.table)
            .node(NODES.table).cluster(IPAM.table).build();
    }
}
