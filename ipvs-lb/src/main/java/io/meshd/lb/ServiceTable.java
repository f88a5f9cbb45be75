package io.meshd.lb;

import io.meshd.net.SnapshotMap;
import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricSink;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * Every service of a node: (VIP, port, protocol) → backends and their Maglev table. The control plane (the agent
 * from gossip, the {@code vtep} command from its flags, tests) writes; the NAT on the packet path reads.
 *
 * <p>A change rebuilds only the service it touches, off the packet path, and publishes it with one volatile write:
 * a reader sees the old service or the new one, never a half-built table. Reads are lock-free and allocate nothing.
 */
public final class ServiceTable {
    /** M for a service of n backends. */
    private final IntUnaryOperator tableSize;
    private final SnapshotMap<Service> services = new SnapshotMap<>();
    /** Derived from {@link #services} after every change, by the writer; replaced whole. */
    private volatile ReverseIndex index = ReverseIndex.of(List.of());

    private ServiceTable(IntUnaryOperator tableSize) {
        this.tableSize = tableSize;
    }

    /**
     * A table whose services use Maglev tables of {@code tableSize} slots.
     *
     * @param tableSize M: a prime, the same on every node
     * @return an empty table
     * @throws IllegalArgumentException if the size is not a prime within {@link MaglevTable}'s range
     */
    public static ServiceTable withTableSize(int tableSize) {
        MaglevTable.build(List.of(), tableSize);
        return new ServiceTable(n -> tableSize);
    }

    /**
     * A table whose services each get a Maglev table sized to their number of backends,
     * {@link MaglevTable#ladderSize}: the mesh's choice, which every node makes alike from the same backends.
     *
     * @return an empty table
     */
    public static ServiceTable sizedByBackends() {
        return new ServiceTable(MaglevTable::ladderSize);
    }

    /**
     * Sets a service's backends (creating the service if new).
     *
     * @param key what it answers on
     * @param backends its backends, distinct addresses
     * @return the service as now published
     * @throws IllegalArgumentException for two backends with one address
     */
    public Service put(ServiceKey key, Collection<ServiceBackend> backends) {
        AtomicLong flows = services.find(key.packed()).map(Service::flowCounter).orElseGet(AtomicLong::new);
        Service service = Service.build(key, backends, tableSize.applyAsInt(backends.size()), flows);
        synchronized (this) {
            services.put(key.packed(), service);
            reindex();
        }
        return service;
    }

    /**
     * Removes a service.
     *
     * @param key what it answered on
     * @return whether it existed
     */
    public boolean remove(ServiceKey key) {
        synchronized (this) {
            boolean removed = services.remove(key.packed()).isPresent();
            reindex();
            return removed;
        }
    }

    /**
     * Changes one backend of a service (its health or weight) and rebuilds that service.
     *
     * @param key the service
     * @param backendId the backend's {@code IP:PORT}
     * @param change what to make of it
     * @return the service as now published, or empty if there is no such service or backend
     */
    public synchronized Optional<Service> update(ServiceKey key, String backendId,
        UnaryOperator<ServiceBackend> change) {
        Optional<Service> updated = Optional.ofNullable(services.compute(key.packed(), current -> {
            if (current == null) {
                return null;
            }
            List<ServiceBackend> changed = new ArrayList<>();
            boolean found = false;
            for (ServiceBackend b : current.backends()) {
                boolean match = b.id().equals(backendId);
                found |= match;
                changed.add(match ? change.apply(b) : b);
            }
            return found
                ? Service.build(key, changed, tableSize.applyAsInt(changed.size()), current.flowCounter())
                : current;
        })).filter(s -> s.backends().stream().anyMatch(b -> b.id().equals(backendId)));
        reindex();
        return updated;
    }

    private void reindex() {
        index = ReverseIndex.of(services.values());
    }

    /**
     * Whether an address is the VIP of any service (on any port): the packet path's first test.
     *
     * @param address an IPv4 address, network order
     * @return whether some service answers on it (lock-free, allocation-free)
     */
    public boolean isVip(int address) {
        return index.isVip(address);
    }

    /**
     * The services that have a backend at this address, port and protocol: the candidates a reply from it may
     * belong to.
     *
     * @param ip the backend's address
     * @param port the backend's port
     * @param protocolNumber the IP protocol number
     * @return a shared array, empty when none (do not modify; lock-free, allocation-free)
     */
    Service[] servicesOfBackend(int ip, int port, int protocolNumber) {
        return index.servicesOf(ip, port, protocolNumber);
    }

    /**
     * The service on a destination, for the packet path.
     *
     * @param vip the destination address
     * @param port the destination port
     * @param protocolNumber the IP protocol number
     * @return the service, or null when nothing answers there (lock-free, allocation-free)
     */
    public Service serviceOrNull(int vip, int port, int protocolNumber) {
        return services.getOrNull(ServiceKey.pack(vip, port, protocolNumber));
    }

    /**
     * A service, for the control plane.
     *
     * @param key what it answers on
     * @return the service, if any
     */
    public Optional<Service> service(ServiceKey key) {
        return services.find(key.packed());
    }

    /**
     * Every service (allocates).
     *
     * @return the services, by key
     */
    public List<Service> services() {
        List<Service> all = new ArrayList<>();
        for (long key : services.keys()) {
            services.find(key).ifPresent(all::add);
        }
        return all;
    }

    /**
     * The services for export, per service (labelled {@code service="VIP:PORT/PROTO"}, bounded by the services of
     * the node): {@code meshd_lb_backends{service,state="healthy|drained|unhealthy"}} (drained: healthy, weight 0),
     * {@code meshd_lb_flows_total{service}} (flows the VIP NAT gave a backend), and {@code meshd_lb_services}.
     *
     * @return the source, reading the published services when collected
     */
    public MetricSource metrics() {
        return this::collect;
    }

    private void collect(MetricSink sink) {
        List<Service> all = services();
        sink.sample("meshd_lb_services", MetricType.GAUGE, "VIP services this node balances", Labels.none(),
            all.size());
        for (Service service : all) {
            int healthy = 0;
            int drained = 0;
            int unhealthy = 0;
            for (ServiceBackend b : service.backends()) {
                if (!b.healthy()) {
                    unhealthy++;
                } else if (b.weight() == 0) {
                    drained++;
                } else {
                    healthy++;
                }
            }
            Labels labels = Labels.of("service", service.key().toString());
            backends(sink, labels, "healthy", healthy);
            backends(sink, labels, "drained", drained);
            backends(sink, labels, "unhealthy", unhealthy);
            sink.sample("meshd_lb_flows_total", MetricType.COUNTER,
                "Flows the VIP NAT gave a backend (new flows, and flows whose pin was lost or backend left)", labels,
                service.flows());
        }
    }

    private static void backends(MetricSink sink, Labels service, String state, int count) {
        sink.sample("meshd_lb_backends", MetricType.GAUGE,
            "Backends of each VIP service by state (drained: weight 0, keeps its pinned flows)",
            service.and("state", state), count);
    }

    /**
     * M, the Maglev table size a service of {@code backends} backends gets here.
     *
     * @param backends how many backends
     * @return the size
     */
    public int tableSize(int backends) {
        return tableSize.applyAsInt(backends);
    }
}
