package io.meshd.lb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One service as the packet path sees it: its key, its backends ordered by identity, and the Maglev table over
 * them. Immutable; a change builds a new one (see {@link ServiceTable}).
 *
 * <p>{@link #pick(long)} and the backend accessors are allocation-free: the NAT calls them per new flow.
 */
public final class Service {
    private final ServiceKey key;
    private final List<ServiceBackend> backends;
    private final MaglevTable table;
    private final int[] ips;
    private final int[] ports;

    private Service(ServiceKey key, List<ServiceBackend> backends, MaglevTable table) {
        this.key = key;
        this.backends = backends;
        this.table = table;
        this.ips = new int[backends.size()];
        this.ports = new int[backends.size()];
        for (int i = 0; i < backends.size(); i++) {
            ips[i] = backends.get(i).ip();
            ports[i] = backends.get(i).port();
        }
    }

    /**
     * Builds a service and its table.
     *
     * @param key what it answers on
     * @param backends its backends, in any order, with distinct addresses
     * @param tableSize the Maglev table size M (a prime, the same on every node)
     * @return the service
     * @throws IllegalArgumentException for two backends with one address or a bad table size
     */
    static Service build(ServiceKey key, Collection<ServiceBackend> backends, int tableSize) {
        List<ServiceBackend> sorted = new ArrayList<>(backends);
        sorted.sort(Comparator.comparing(ServiceBackend::id));
        List<Backend> weighted = new ArrayList<>(sorted.size());
        for (ServiceBackend b : sorted) {
            weighted.add(new Backend(b.id(), b.effectiveWeight()));
        }
        // MaglevTable orders by the same identity, so its indexes are indexes into `sorted`.
        return new Service(Objects.requireNonNull(key, "key"), List.copyOf(sorted),
            MaglevTable.build(weighted, tableSize));
    }

    /**
     * What it answers on.
     *
     * @return the key
     */
    public ServiceKey key() {
        return key;
    }

    /**
     * Its backends, ordered by identity; {@link #pick} returns indexes into this list.
     *
     * @return an immutable list
     */
    public List<ServiceBackend> backends() {
        return backends;
    }

    /**
     * The backend for a new flow.
     *
     * @param flowHash the flow's hash, computed alike on every node
     * @return an index into {@link #backends()}, or {@link MaglevTable#NO_BACKEND} when none takes new flows
     */
    public int pick(long flowHash) {
        return table.lookup(flowHash);
    }

    /**
     * A backend's address, without touching the record (allocation-free).
     *
     * @param index an index from {@link #pick}
     * @return the IPv4 address, network order
     */
    public int backendIp(int index) {
        return ips[index];
    }

    /**
     * A backend's port (allocation-free).
     *
     * @param index an index from {@link #pick}
     * @return the port
     */
    public int backendPort(int index) {
        return ports[index];
    }

    /**
     * The Maglev table (for diagnostics and tests).
     *
     * @return the table
     */
    public MaglevTable table() {
        return table;
    }

    @Override
    public String toString() {
        return "Service" + key + backends;
    }
}
