package io.meshd.lb;

import java.util.Objects;

/**
 * One backend of a service as the load balancer sees it: a stable identity and a weight.
 *
 * <p>The identity (for example {@code 10.0.9.5:80}) is what every node agrees on: tables are built from it, never
 * from arrival order or object identity, so two nodes given the same backends build the same table. Weight 0 means
 * draining: the backend keeps the flows already pinned to it and takes no new ones.
 *
 * @param id the stable identity, non-empty
 * @param weight the share of new flows relative to the other backends, 0 (draining) to {@link #MAX_WEIGHT}
 */
public record Backend(String id, int weight) {
    /** The largest weight; weights are relative, so 1-1000 is as fine-grained as anyone needs. */
    public static final int MAX_WEIGHT = 1_000_000;

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if the id is empty or the weight out of range
     */
    public Backend {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a backend needs a non-empty id");
        }
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight of " + id + " must be 0-" + MAX_WEIGHT + ": " + weight);
        }
    }

    /**
     * A backend with weight 1.
     *
     * @param id the stable identity
     * @return the backend
     */
    public static Backend of(String id) {
        return new Backend(id, 1);
    }

    /**
     * Whether it takes new flows.
     *
     * @return weight above 0
     */
    public boolean active() {
        return weight > 0;
    }
}
