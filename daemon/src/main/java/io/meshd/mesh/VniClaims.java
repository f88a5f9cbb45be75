package io.meshd.mesh;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.alloc.BlockAllocator;
import io.meshd.mesh.codec.NetworkValue;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Automatic VNIs without a central allocator, as docs/gossip.md states: pool {@value #POOL} of the {@code ipam}
 * table, slot = VNI − {@value #FIRST}, claimant = the network's name, so two networks created at once on two nodes
 * end with different VNIs (the lower network name keeps a contested one, the other re-picks). A network is written
 * only once its VNI has settled ({@link BlockAllocator#settleTime}). An explicit VNI at or above {@value #FIRST} is
 * claimed as well (the same key, written directly), so automatic picks avoid it.
 */
public final class VniClaims {
    /** The pool's name; hence no network may be called so (its address blocks would share the pool). */
    public static final String POOL = "vni";
    /** The first automatic VNI. */
    public static final int FIRST = 4096;
    private static final byte[] CLAIM = {1};

    private final GossipNode gossip;
    private final GossipConfig config;
    /** The allocators of networks this node created, kept (they hold the VNI) until the network goes. */
    private final Map<String, BlockAllocator> held = new ConcurrentHashMap<>();

    /** Claims through {@code gossip}, timed by {@code config}. */
    public VniClaims(GossipNode gossip, GossipConfig config) {
        this.gossip = gossip;
        this.config = config;
    }

    /**
     * Claims a VNI for {@code network} and waits until it has settled, up to the settle time plus
     * {@code allowance}; must not be called on a protocol or event-loop thread.
     *
     * @throws IllegalStateException if no VNI settled in time
     * @throws InterruptedException if interrupted while waiting
     */
    public int automatic(String network, Duration allowance) throws InterruptedException {
        BlockAllocator a = BlockAllocator.attach(gossip, MeshTable.IPAM.table(), POOL, network,
            NetworkValue.MAX_VNI - FIRST + 1);
        held.put(network, a);
        a.claim();
        a.held();
        Duration settle = BlockAllocator.settleTime(config, gossip.members().size());
        long deadline = System.nanoTime() + settle.plus(allowance).toNanos();
        OptionalInt slot = a.settled(settle);
        while (slot.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            slot = a.settled(settle);
        }
        if (slot.isEmpty()) {
            release(network);
            throw new IllegalStateException("no VNI settled for network '" + network + "' within "
                + settle.plus(allowance).toSeconds() + " s");
        }
        return FIRST + slot.getAsInt();
    }

    /** Records an explicit VNI as claimed by {@code network} (nothing for VNIs below {@value #FIRST}). */
    public void explicit(String network, int vni) {
        if (vni >= FIRST) {
            gossip.put(MeshTable.IPAM.table(), key(vni - FIRST, network), CLAIM);
        }
    }

    /** Deletes every VNI claim of {@code network} (its allocator here stops wanting one first). Idempotent. */
    public void release(String network) {
        BlockAllocator a = held.remove(network);
        if (a != null) {
            a.release();
        }
        String suffix = "/" + network;
        for (String k : gossip.entries(MeshTable.IPAM.table()).keySet()) {
            if (k.startsWith(POOL + "/") && k.endsWith(suffix) && k.indexOf('/', POOL.length() + 1) == k.length()
                - suffix.length()) {
                gossip.delete(MeshTable.IPAM.table(), k);
            }
        }
    }

    private static String key(int slot, String network) {
        return POOL + "/" + slot + "/" + network;
    }
}
