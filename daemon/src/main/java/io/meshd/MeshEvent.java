package io.meshd;

/**
 * A change the mesh saw, from any node: an entry of one of its tables appeared, changed or went (a dead node's
 * endpoints and node record go while it is dead), or a member changed state.
 *
 * @param kind what changed
 * @param name the network, service or node name, the endpoint's {@code <network>/<name>} key, or the member
 * @param present whether it exists now (for a member: whether it is alive)
 */
public record MeshEvent(Kind kind, String name, boolean present) {

    /** What changed. */
    public enum Kind {
        /** A network. */
        NETWORK,
        /** A service. */
        SERVICE,
        /** An endpoint, {@code <network>/<endpoint name>}. */
        ENDPOINT,
        /** A node's VTEP record. */
        NODE,
        /** A gossip member's state. */
        MEMBER
    }
}
