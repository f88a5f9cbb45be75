package io.meshd.lb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

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
    private final boolean[] healthy;
    /** (ip, port) packed as {@link FlowPinTable#backend}, sorted, for a lookup by address. */
    private final long[] addresses;
    /** The backend index of each entry of {@link #addresses}. */
    private final int[] addressIndexes;
    /** Flows given a backend; shared by the versions of one service in a {@link ServiceTable}. */
    private final AtomicLong flows;

    private Service(ServiceKey key, List<ServiceBackend> backends, MaglevTable table, AtomicLong flows) {
        this.key = key;
        this.flows = flows;
        this.backends = backends;
        this.table = table;
        this.ips = new int[backends.size()];
        this.ports = new int[backends.size()];
        this.healthy = new boolean[backends.size()];
        for (int i = 0; i < backends.size(); i++) {
            ips[i] = backends.get(i).ip();
            ports[i] = backends.get(i).port();
            healthy[i] = backends.get(i).healthy();
        }
        Integer[] order = new Integer[backends.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> FlowPinTable.backend(ips[i], ports[i])));
        this.addresses = new long[order.length];
        this.addressIndexes = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            addressIndexes[i] = order[i];
            addresses[i] = FlowPinTable.backend(ips[order[i]], ports[order[i]]);
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
        return build(key, backends, tableSize, new AtomicLong());
    }

    /** As {@link #build(ServiceKey, Collection, int)}, counting flows in {@code flows} (the previous version's). */
    static Service build(ServiceKey key, Collection<ServiceBackend> backends, int tableSize, AtomicLong flows) {
        List<ServiceBackend> sorted = new ArrayList<>(backends);
        sorted.sort(Comparator.comparing(ServiceBackend::id));
        List<Backend> weighted = new ArrayList<>(sorted.size());
        for (ServiceBackend b : sorted) {
            weighted.add(new Backend(b.id(), b.effectiveWeight()));
        }
        // MaglevTable orders by the same identity, so its indexes are indexes into `sorted`.
        return new Service(Objects.requireNonNull(key, "key"), List.copyOf(sorted),
            MaglevTable.build(weighted, tableSize), flows);
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
     * Counts a flow given a backend (a new flow, or one whose pin was lost or whose backend left): allocation-free,
     * one atomic add.
     */
    public void countFlow() {
        flows.getAndIncrement();
    }

    /**
     * Flows given a backend so far, over every version of this service in its table.
     *
     * @return the count
     */
    public long flows() {
        return flows.get();
    }

    AtomicLong flowCounter() {
        return flows;
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
     * Finds a backend by address (allocation-free, O(log N)).
     *
     * @param backend the address packed by {@link FlowPinTable#backend}
     * @return its index into {@link #backends()}, or -1 if it is not one of them
     */
    public int indexOf(long backend) {
        int at = Arrays.binarySearch(addresses, backend);
        return at < 0 ? -1 : addressIndexes[at];
    }

    /**
     * Whether a backend keeps the flows already pinned to it: a draining backend (weight 0) does, an unhealthy one
     * does not.
     *
     * @param index an index into {@link #backends()}
     * @return whether pinned flows stay
     */
    public boolean keepsPinnedFlows(int index) {
        return healthy[index];
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
