package io.meshd.dns.records;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes to apply together to a {@link LiveRecordSource}, made by {@link LiveRecordSource#batch()}. Not thread-safe;
 * hand it to {@link LiveRecordSource#apply} once filled.
 */
public final class RecordBatch {
    /** One change in a batch, applied to the source's model on its updater thread. */
    interface Op {
        void apply(LiveRecordSource source, List<Delta> deltas);
    }

    private final List<Op> ops = new ArrayList<>();

    RecordBatch() {
    }

    /** The changes, in order. */
    List<Op> ops() {
        return List.copyOf(ops);
    }

    /** Ensures a network exists (it may have no names). */
    public RecordBatch network(String name) {
        MeshNetwork.checkLabel(name, "network name");
        ops.add((src, deltas) -> src.network(name));
        return this;
    }

    /** Adds or replaces an endpoint of a network (creating the network). */
    public RecordBatch put(String network, MeshEndpoint endpoint) {
        MeshNetwork.checkLabel(network, "network name");
        ops.add((src, deltas) -> src.network(network).putEndpoint(endpoint, deltas));
        return this;
    }

    /** Adds or replaces a service of a network (creating the network). */
    public RecordBatch put(String network, MeshService service) {
        MeshNetwork.checkLabel(network, "network name");
        ops.add((src, deltas) -> src.network(network).putService(service, deltas));
        return this;
    }

    /** Removes an endpoint, if present. */
    public RecordBatch removeEndpoint(String network, String endpoint) {
        ops.add((src, deltas) -> {
            NetworkState n = src.existingNetwork(network);
            if (n != null) {
                n.removeEndpoint(endpoint, deltas);
            }
        });
        return this;
    }

    /** Removes a service, if present; its tasks lose its names. */
    public RecordBatch removeService(String network, String service) {
        ops.add((src, deltas) -> {
            NetworkState n = src.existingNetwork(network);
            if (n != null) {
                n.removeService(service, deltas);
            }
        });
        return this;
    }

    /** Removes a network and every name in it. */
    public RecordBatch removeNetwork(String network) {
        ops.add((src, deltas) -> {
            NetworkState n = src.forgetNetwork(network);
            if (n != null) {
                deltas.add(new Delta(network, n.allPairs(), List.of()));
            }
        });
        return this;
    }

    /** Number of changes in the batch. */
    public int size() {
        return ops.size();
    }

    /**
     * The batch that turns the served networks into {@code wanted}: endpoints and services equal to the served ones
     * are left out, so reloading a file with one change is a batch of one change.
     */
    static RecordBatch difference(Map<String, NetworkState> served, List<MeshNetwork> wanted) {
        RecordBatch diff = new RecordBatch();
        Set<String> keep = new HashSet<>();
        for (MeshNetwork n : wanted) {
            keep.add(n.name());
            NetworkState old = served.get(n.name());
            diff.network(n.name());
            Set<String> services = new HashSet<>();
            for (MeshService s : n.services()) {
                services.add(s.name());
                if (old == null || !s.equals(old.services.get(s.name()))) {
                    diff.put(n.name(), s);
                }
            }
            Set<String> endpoints = new HashSet<>();
            for (MeshEndpoint e : n.endpoints()) {
                endpoints.add(e.name());
                if (old == null || !e.equals(old.endpoints.get(e.name()))) {
                    diff.put(n.name(), e);
                }
            }
            if (old != null) {
                for (String s : old.services.keySet()) {
                    if (!services.contains(s)) {
                        diff.removeService(n.name(), s);
                    }
                }
                for (String e : old.endpoints.keySet()) {
                    if (!endpoints.contains(e)) {
                        diff.removeEndpoint(n.name(), e);
                    }
                }
            }
        }
        for (String n : served.keySet()) {
            if (!keep.contains(n)) {
                diff.removeNetwork(n);
            }
        }
        return diff;
    }
}
