package io.meshd.gossip.alloc;

import io.meshd.gossip.GossipNode;
import java.util.Map;

/**
 * The part of a replicated table a {@link BlockAllocator} uses: the visible entries, and writes and deletes owned by
 * this member. Calls come from one thread (a gossip member's protocol thread).
 */
public interface ClaimTable {

    /** Every visible entry. */
    Map<String, byte[]> entries();

    /** Writes {@code key = value}. */
    void put(String key, byte[] value);

    /** Deletes {@code key}; false if it was absent. */
    boolean delete(String key);

    /** The table {@code table} of {@code node} (declare it {@code CLUSTER}-scoped: claims outlive their writer). */
    static ClaimTable of(GossipNode node, String table) {
        return new ClaimTable() {
            @Override
            public Map<String, byte[]> entries() {
                return node.entries(table);
            }

            @Override
            public void put(String key, byte[] value) {
                node.put(table, key, value);
            }

            @Override
            public boolean delete(String key) {
                return node.delete(table, key);
            }
        };
    }
}
