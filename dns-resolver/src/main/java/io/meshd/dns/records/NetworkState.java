package io.meshd.dns.records;

import io.meshd.dns.records.Contributions.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The endpoints and services of one network, the (name, record) pairs each one contributes, and which endpoints
 * are tasks of which service. Each change appends a {@link Delta} of the pairs that went and came. Owned by a
 * {@link LiveRecordSource}'s updater thread.
 */
final class NetworkState {

    final String name;
    private final Contributions contributions;
    final Map<String, MeshEndpoint> endpoints = new LinkedHashMap<>();
    final Map<String, MeshService> services = new LinkedHashMap<>();
    private final Map<String, List<Pair>> endpointPairs = new LinkedHashMap<>();
    private final Map<String, List<Pair>> servicePairs = new LinkedHashMap<>();
    /** Service name to the endpoints naming it, whether or not the service exists yet. */
    private final Map<String, Set<String>> tasks = new LinkedHashMap<>();

    NetworkState(String name, Contributions contributions) {
        this.name = name;
        this.contributions = contributions;
    }

    List<Pair> allPairs() {
        List<Pair> all = new ArrayList<>();
        servicePairs.values().forEach(all::addAll);
        endpointPairs.values().forEach(all::addAll);
        return all;
    }

    void putEndpoint(MeshEndpoint e, List<Delta> deltas) {
        MeshEndpoint old = endpoints.put(e.name(), e);
        if (old != null) {
            untask(old);
        }
        for (String s : e.services()) {
            tasks.computeIfAbsent(s, k -> new LinkedHashSet<>()).add(e.name());
        }
        List<Pair> added = contributions.endpoint(name, e, services);
        List<Pair> removed = endpointPairs.put(e.name(), added);
        deltas.add(new Delta(name, removed == null ? List.of() : removed, added));
    }

    void removeEndpoint(String endpoint, List<Delta> deltas) {
        MeshEndpoint old = endpoints.remove(endpoint);
        if (old == null) {
            return;
        }
        untask(old);
        deltas.add(new Delta(name, endpointPairs.remove(endpoint), List.of()));
    }

    private void untask(MeshEndpoint e) {
        for (String s : e.services()) {
            Set<String> t = tasks.get(s);
            if (t != null) {
                t.remove(e.name());
                if (t.isEmpty()) {
                    tasks.remove(s);
                }
            }
        }
    }

    void putService(MeshService s, List<Delta> deltas) {
        services.put(s.name(), s);
        List<Pair> added = contributions.service(name, s);
        List<Pair> removed = servicePairs.put(s.name(), added);
        deltas.add(new Delta(name, removed == null ? List.of() : removed, added));
        retask(s.name(), deltas);
    }

    void removeService(String service, List<Delta> deltas) {
        if (services.remove(service) == null) {
            return;
        }
        deltas.add(new Delta(name, servicePairs.remove(service), List.of()));
        retask(service, deltas);
    }

    /** The tasks of a service contribute its names: recompute theirs when it changes. */
    private void retask(String service, List<Delta> deltas) {
        for (String e : tasks.getOrDefault(service, Set.of())) {
            List<Pair> added = contributions.endpoint(name, endpoints.get(e), services);
            deltas.add(new Delta(name, endpointPairs.put(e, added), added));
        }
    }
}
