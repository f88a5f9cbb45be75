package io.meshd.mesh;

import io.meshd.gossip.TableEvent;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.NodeValue;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.mesh.codec.ValueFormatException;
import io.meshd.net.metrics.EnumCounters;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mesh's tables as this node sees them, decoded, updated from {@link TableEvent}s on the mesh thread only. A
 * value that does not decode is refused: counted by table in {@link #refused()} and ignored (the entry reads as
 * absent), never thrown. Endpoints whose owner is dead stay here marked not visible, so services keep them as
 * unhealthy backends; every other hidden entry is absent.
 */
public final class MeshModel {
    /**
     * An endpoint and whether its owner is alive.
     *
     * @param value the decoded value
     * @param owner the member that wrote it
     * @param visible false while its owner is dead
     */
    public record Endpoint(EndpointValue value, String owner, boolean visible) {
    }

    private final Map<String, NetworkValue> networks = new TreeMap<>();
    private final Map<String, ServiceValue> services = new TreeMap<>();
    private final Map<EndpointKey, Endpoint> endpoints = new TreeMap<>(
        (a, b) -> a.key().compareTo(b.key()));
    private final Map<String, NodeValue> nodes = new TreeMap<>();
    private final EnumCounters<MeshTable> refused = new EnumCounters<>(MeshTable.class,
        "meshd_mesh_refused_values_total", "Table values that do not follow the mesh's schema, ignored", "table");

    /**
     * Applies one event.
     *
     * @return whether what the mesh sees changed
     */
    public boolean apply(TableEvent e) {
        MeshTable table = MeshTable.of(e.table());
        if (table == null || table == MeshTable.IPAM) {
            return false;
        }
        boolean gone = e.kind() == TableEvent.Kind.DELETE || e.kind() == TableEvent.Kind.HIDDEN;
        try {
            switch (table) {
                case ENDPOINTS:
                    return endpoint(e);
                default:
                    return gone ? removeRefused(table, e.key()) : putDecoded(table, e.key(), e.value());
            }
        } catch (ValueFormatException bad) {
            refused.increment(table);
            return removeRefused(table, e.key());
        }
    }

    private boolean endpoint(TableEvent e) throws ValueFormatException {
        EndpointKey key = EndpointKey.parse(e.key());
        switch (e.kind()) {
            case DELETE:
                return endpoints.remove(key) != null;
            case HIDDEN: {
                Endpoint old = endpoints.get(key);
                if (old == null || !old.visible()) {
                    return false;
                }
                endpoints.put(key, new Endpoint(old.value(), old.owner(), false));
                return true;
            }
            default:
                return put(endpoints, key, new Endpoint(EndpointValue.decode(e.value()), e.owner(), true));
        }
    }

    private boolean putDecoded(MeshTable table, String key, byte[] value) throws ValueFormatException {
        switch (table) {
            case NETWORKS:
                return put(networks, key, NetworkValue.decode(value));
            case SERVICES:
                return put(services, key, ServiceValue.decode(value));
            default:
                return put(nodes, key, NodeValue.decode(value));
        }
    }

    /** Removes a key; also used when a refused value replaces the version that was there. */
    private boolean removeRefused(MeshTable table, String key) {
        return remove(table, key);
    }

    /** A refused value replaces the version that was there: the key reads as absent now. */
    private boolean remove(MeshTable table, String key) {
        switch (table) {
            case NETWORKS:
                return networks.remove(key) != null;
            case SERVICES:
                return services.remove(key) != null;
            case NODES:
                return nodes.remove(key) != null;
            default:
                return endpoints.keySet().removeIf(k -> k.key().equals(key));
        }
    }

    private static <K, V> boolean put(Map<K, V> map, K key, V value) {
        return !value.equals(map.put(key, value));
    }

    /** Networks by name. */
    public Map<String, NetworkValue> networks() {
        return Collections.unmodifiableMap(networks);
    }

    /** Services by name. */
    public Map<String, ServiceValue> services() {
        return Collections.unmodifiableMap(services);
    }

    /** Endpoints, visible or not. */
    public Map<EndpointKey, Endpoint> endpoints() {
        return Collections.unmodifiableMap(endpoints);
    }

    /** Live nodes' VTEPs by node name. */
    public Map<String, NodeValue> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    /** Refused values by table, {@code meshd_mesh_refused_values_total{table}}. */
    public EnumCounters<MeshTable> refused() {
        return refused;
    }
}
