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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * The backends of one proxy listener with their health, and the Maglev table over the healthy ones.
 *
 * <p>The choice depends only on the client's address and port (and the protocol), hashed with the seed the VIP NAT
 * uses, so every proxy and every node given the same backends picks the same backend for the same client. A backend
 * that refuses a connection is marked down (the table is rebuilt without it) until a retry connects again. The set
 * of backends may be {@linkplain #replace replaced} while the proxy runs (the routing mesh follows the cluster's
 * tables this way); a backend kept across a replacement keeps its health.
 *
 * <p>Reads are lock-free: the backends, their health and the table are one immutable snapshot behind a volatile
 * field, so a pick never sees a table of one set with the list of another. Changes are synchronized and rare; a
 * replacement builds its table outside the lock (it runs off the event loops) and only swaps it in under the lock.
 */
public final class BackendPool {
    /** M for n backends. */
    private final IntUnaryOperator tableSize;
    /** Written under the lock only; read anywhere. */
    private volatile State state;

    /** One consistent view: backends ordered by identity, which are down, the table over the others. */
    private record State(List<ProxyBackend> backends, boolean[] down, MaglevTable table) {
        static State of(List<ProxyBackend> sorted, boolean[] down, IntUnaryOperator tableSize) {
            List<Backend> weighted = new ArrayList<>(sorted.size());
            for (int i = 0; i < sorted.size(); i++) {
                weighted.add(new Backend(sorted.get(i).id(), down[i] ? 0 : sorted.get(i).weight()));
            }
            return new State(sorted, down, MaglevTable.build(weighted, tableSize.applyAsInt(sorted.size())));
        }
    }

    /**
     * A pool, every backend up.
     *
     * @param backends the backends, distinct addresses, at least one
     * @param tableSize the Maglev table size (a prime, the same for every proxy that must agree)
     * @throws IllegalArgumentException for no backends, two with one address, or a bad size
     */
    public BackendPool(List<ProxyBackend> backends, int tableSize) {
        this(backends, n -> tableSize, false);
    }

    /**
     * A pool, every backend up, possibly empty (every pick empty until a {@link #replace}).
     *
     * @param backends the backends, distinct addresses
     * @param tableSize the Maglev table size for a number of backends (down ones included)
     * @param emptyAllowed whether no backend at all is allowed
     * @throws IllegalArgumentException for no backends unless allowed, two with one address, or a bad size
     */
    BackendPool(List<ProxyBackend> backends, IntUnaryOperator tableSize, boolean emptyAllowed) {
        if (backends.isEmpty() && !emptyAllowed) {
            throw new IllegalArgumentException("at least one backend is needed");
        }
        List<ProxyBackend> sorted = sorted(backends);
        this.tableSize = tableSize;
        this.state = State.of(sorted, new boolean[sorted.size()], tableSize);
    }

    private static List<ProxyBackend> sorted(List<ProxyBackend> backends) {
        List<ProxyBackend> sorted = new ArrayList<>(backends);
        sorted.sort(Comparator.comparing(ProxyBackend::id));
        return List.copyOf(sorted);
    }

    /**
     * The backend for a client.
     *
     * @param client the client's address and port
     * @param protocolNumber 6 for TCP, 17 for UDP
     * @return the backend, or empty when every backend is down (or there is none)
     */
    public Optional<ProxyBackend> pick(InetSocketAddress client, int protocolNumber) {
        State s = state;
        int index = s.table().lookup(clientHash(client, protocolNumber));
        return index == MaglevTable.NO_BACKEND ? Optional.empty() : Optional.of(s.backends().get(index));
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
     * @return whether its state changed (false for a backend no longer in the pool)
     */
    public synchronized boolean mark(ProxyBackend backend, boolean up) {
        State s = state;
        int i = s.backends().indexOf(backend);
        if (i < 0 || s.down()[i] == !up) {
            return false;
        }
        boolean[] down = s.down().clone();
        down[i] = !up;
        state = State.of(s.backends(), down, tableSize);
        return true;
    }

    /**
     * Replaces the set of backends: new ones start up, those kept (same address and weight) keep their health,
     * the others are forgotten (their open connections are left alone). Builds the table on the calling thread:
     * call it off the event loops.
     *
     * @param backends the new backends, distinct addresses, possibly none
     * @return whether the set changed
     * @throws IllegalArgumentException for two backends with one address
     */
    public boolean replace(List<ProxyBackend> backends) {
        List<ProxyBackend> sorted = sorted(backends);
        Set<String> ids = new HashSet<>();
        for (ProxyBackend b : sorted) {
            if (!ids.add(b.id())) {
                throw new IllegalArgumentException("two backends with address " + b.id());
            }
        }
        while (true) {
            State s = state;
            if (s.backends().equals(sorted)) {
                return false;
            }
            boolean[] down = new boolean[sorted.size()];
            for (int i = 0; i < sorted.size(); i++) {
                int old = s.backends().indexOf(sorted.get(i));
                down[i] = old >= 0 && s.down()[old];
            }
            State next = State.of(sorted, down, tableSize);
            synchronized (this) {
                if (state == s) { // nobody marked a backend meanwhile: the carried-over health is current
                    state = next;
                    return true;
                }
            }
        }
    }

    /**
     * M, the size of the Maglev table now in use (for tests and diagnostics).
     *
     * @return the size
     */
    public int tableSize() {
        return state.table().size();
    }

    /**
     * The backends now marked down.
     *
     * @return a fresh list
     */
    public List<ProxyBackend> downBackends() {
        State s = state;
        List<ProxyBackend> out = new ArrayList<>();
        for (int i = 0; i < s.down().length; i++) {
            if (s.down()[i]) {
                out.add(s.backends().get(i));
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
        return state.backends();
    }
}
