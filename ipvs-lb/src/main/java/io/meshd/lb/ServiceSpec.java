package io.meshd.lb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A service as an operator writes it on a command line: {@code VIP:PORT[/PROTO]=BACKEND:PORT[=WEIGHT],...}, e.g.
 * {@code 10.0.9.100:80/tcp=10.0.9.5:8080,10.0.9.6:8080=2}.
 *
 * @param key what the service answers on
 * @param backends its backends, healthy, in the order given
 */
public record ServiceSpec(ServiceKey key, List<ServiceBackend> backends) {

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException for no backend or one address given twice
     */
    public ServiceSpec {
        backends = List.copyOf(backends);
        if (backends.isEmpty()) {
            throw new IllegalArgumentException(key + " has no backend");
        }
        Set<String> seen = new HashSet<>();
        for (ServiceBackend b : backends) {
            if (!seen.add(b.id())) {
                throw new IllegalArgumentException(key + " lists backend " + b.id() + " twice");
            }
        }
    }

    /**
     * Parses {@code VIP:PORT[/PROTO]=BACKEND:PORT[=WEIGHT],...}.
     *
     * @param text the text
     * @return the spec
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ServiceSpec parse(String text) {
        int equals = text.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("expected VIP:PORT[/PROTO]=BACKEND:PORT[=WEIGHT],...: '" + text + "'");
        }
        ServiceKey key = ServiceKey.parse(text.substring(0, equals));
        List<ServiceBackend> backends = new ArrayList<>();
        for (String backend : text.substring(equals + 1).split(",", -1)) {
            if (backend.isEmpty()) {
                throw new IllegalArgumentException("empty backend in '" + text + "'");
            }
            backends.add(ServiceBackend.parse(backend));
        }
        return new ServiceSpec(key, backends);
    }

    /**
     * The spec as {@link #parse} reads it, every weight written out.
     *
     * @return e.g. {@code 10.0.9.100:80/tcp=10.0.9.5:8080=1}
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(key.toString()).append('=');
        for (int i = 0; i < backends.size(); i++) {
            ServiceBackend b = backends.get(i);
            sb.append(i == 0 ? "" : ",").append(b.id()).append('=').append(b.weight());
        }
        return sb.toString();
    }
}
