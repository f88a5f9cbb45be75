package io.meshd.lb.proxy;

import io.meshd.lb.Backend;
import io.meshd.lb.MaglevTable;
import io.meshd.lb.VipNat;
import io.meshd.packet.FlowHash;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The backends of one proxy listener with their health, and the Maglev table over the healthy ones.
 *
 * <p>The choice depends only on the client's address and port (and the protocol), hashed with the seed the VIP NAT
 * uses, so every proxy and every node given the same backends picks the same backend for the same client. A backend
 * that refuses a connection is marked down (the table is rebuilt without it) until a retry connects again. Reads are
 * lock-free; health changes are synchronized and rare.
 */
public final class BackendPool {
    private final List<ProxyBackend> backends;
    private final boolean[] down;
    private final int tableSize;
    private volatile MaglevTable table;

    /**
     * A pool, every backend up.
     *
     * @param backends the backends, distinct addresses, at least one
     * @param tableSize the Maglev table size (a prime, the same for every proxy that must agree)
     * @throws IllegalArgumentException for no backends, two with one address, or a bad size
     */
    public BackendPool(List<ProxyBackend> backends, int tableSize) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("at least one backend is needed");
        }
        List<ProxyBackend> sorted = new ArrayList<>(backends);
        sorted.sort(Comparator.comparing(ProxyBackend::id));
        this.backends = List.copyOf(sorted);
        this.down = new boolean[sorted.size()];
        this.tableSize = tableSize;
        rebuild();
    }

    /**
     * The backend for a client.
     *
     * @param client the client's address and port
     * @param protocolNumber 6 for TCP, 17 for UDP
     * @return the backend, or empty when every backend is down
     */
    public Optional<ProxyBackend> pick(InetSocketAddress client, int protocolNumber) {
        int index = table.lookup(clientHash(client, protocolNumber));
        return index == MaglevTable.NO_BACKEND ? Optional.empty() : Optional.of(backends.get(index));
    }

    /**
     * The hash of a client that every node computes alike: its address, port and the protocol only.
     *
     * @param client the client
     * @param protocolNumber the IP protocol number
     * @return the flow hash
     */
    static int clientHash(InetSocketAddress client, int protocolNumber) {
        byte[] ip = client.getAddress().getAddress();
        if (client.getAddress() instanceof Inet4Address) {
            return FlowHash.hashIpv4(VipNat.FLOW_SEED, ByteBuffer.wrap(ip).getInt(), 0, client.getPort(),
                0, protocolNumber);
        }
        ByteBuffer b = ByteBuffer.wrap(ip);
        return FlowHash.hashIpv6(VipNat.FLOW_SEED, b.getLong(), b.getLong(), 0, 0, client.getPort(), 0,
            protocolNumber);
    }

    /**
     * Marks a backend down (it refused or timed out) or up (a retry connected).
     *
     * @param backend a backend of this pool
     * @param up whether it answers
     * @return whether its state changed
     */
    public synchronized boolean mark(ProxyBackend backend, boolean up) {
        int i = backends.indexOf(backend);
        if (i < 0 || down[i] == !up) {
            return false;
        }
        down[i] = !up;
        rebuild();
        return true;
    }

    /**
     * The backends now marked down.
     *
     * @return a fresh list
     */
    public synchronized List<ProxyBackend> downBackends() {
        List<ProxyBackend> out = new ArrayList<>();
        for (int i = 0; i < down.length; i++) {
            if (down[i]) {
                out.add(backends.get(i));
            }
        }
        return out;
    }

    /**
     * Every backend, ordered by identity.
     *
     * @return an immutable list
     */
    public List<ProxyBackend> backends() {
        return backends;
    }

    private void rebuild() {
        List<Backend> weighted = new ArrayList<>(backends.size());
        for (int i = 0; i < backends.size(); i++) {
            weighted.add(new Backend(backends.get(i).id(), down[i] ? 0 : backends.get(i).weight()));
        }
        table = MaglevTable.build(weighted, tableSize);
    }
}
