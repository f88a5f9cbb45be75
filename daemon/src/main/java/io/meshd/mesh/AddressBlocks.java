package io.meshd.mesh;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.alloc.BlockAllocator;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.Subnets;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Automatic addresses without a central allocator: each network's subnet is cut into blocks of
 * {@value #BLOCK_SIZE} addresses (one block if the subnet has fewer than four), and every node claims one block
 * of every network as soon as it learns of the network ({@link BlockAllocator}, pool = the network's name, claimant
 * = the node's name, in the {@code ipam} table), ahead of need. A node hands out addresses only from its own block
 * once it has settled ({@link BlockAllocator#settleTime}), and it is the block's only writer, so no address is
 * handed out twice. Limits: a subnet with fewer blocks than nodes leaves some nodes without automatic addresses;
 * a full block is an error (a second block per node is planned).
 */
public final class AddressBlocks {
    /** Addresses per block. */
    public static final int BLOCK_SIZE = 16;

    private final GossipNode gossip;
    private final GossipConfig config;
    private final Map<String, BlockAllocator> allocators = new ConcurrentHashMap<>();
    private final Map<String, NetworkValue> networks = new ConcurrentHashMap<>();

    /** Blocks claimed through {@code gossip}. */
    public AddressBlocks(GossipNode gossip, GossipConfig config) {
        this.gossip = gossip;
        this.config = config;
    }

    /** How many blocks {@code network} has. */
    static int blocks(NetworkValue network) {
        int hostBits = 32 - network.prefixLength();
        return hostBits >= 6 ? 1 << (hostBits - 4) : 1;
    }

    /** Claims a block of a network this node just learnt of (or whose subnet changed). */
    public void claim(String name, NetworkValue network) {
        NetworkValue old = networks.put(name, network);
        if (network.equals(old)) {
            return;
        }
        if (old != null) {
            release(name);
            networks.put(name, network);
        }
        BlockAllocator a = BlockAllocator.attach(gossip, MeshTable.IPAM.table(), name, gossip.name(),
            blocks(network));
        allocators.put(name, a);
        a.claim();
        a.held();
    }

    /** Releases this node's block of a removed network. */
    public void release(String name) {
        networks.remove(name);
        BlockAllocator a = allocators.remove(name);
        if (a != null) {
            a.release();
        }
    }

    /**
     * An address of this node's settled block of {@code name} that is in none of {@code used}, waiting for the block
     * to settle up to the settle time for the current cluster size plus {@code allowance}.
     *
     * @throws IllegalStateException if no block is held in time or the block is full
     */
    public InetAddress address(String name, Set<InetAddress> used, Duration allowance) throws InterruptedException {
        BlockAllocator a = allocators.get(name);
        NetworkValue net = networks.get(name);
        if (a == null || net == null) {
            throw new IllegalStateException("no address block for network '" + name + "' yet");
        }
        Duration settle = BlockAllocator.settleTime(config, gossip.members().size());
        long deadline = System.nanoTime() + settle.plus(allowance).toNanos();
        OptionalInt block = a.settled(settle);
        while (block.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            block = a.settled(settle);
        }
        if (block.isEmpty()) {
            throw new IllegalStateException("this node holds no settled address block of '" + name + "' after "
                + settle.plus(allowance).toSeconds() + " s (" + blocks(net) + " blocks for the cluster's nodes)");
        }
        return pick(net, block.getAsInt(), used);
    }

    static InetAddress pick(NetworkValue net, int block, Set<InetAddress> used) {
        int base = Subnets.ipv4(net.subnet());
        int size = blocks(net) == 1 ? 1 << (32 - net.prefixLength()) : BLOCK_SIZE;
        int last = (1 << (32 - net.prefixLength())) - 1;
        for (int i = 0; i < size; i++) {
            int host = block * size + i;
            if (net.prefixLength() < 31 && (host == 0 || host == last)) {
                continue;
            }
            InetAddress ip = ipv4(base + host);
            if (!used.contains(ip)) {
                return ip;
            }
        }
        throw new IllegalStateException("this node's address block " + block + " of " + net.cidr()
            + " is full (a second block per node is planned)");
    }

    private static InetAddress ipv4(int v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8),
                (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
