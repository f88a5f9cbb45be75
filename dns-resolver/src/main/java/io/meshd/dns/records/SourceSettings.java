package io.meshd.dns.records;

import io.meshd.dns.DomainName;
import java.util.List;

/**
 * What every record source built from {@link MeshNetwork}s is configured with: the TTL, the cluster domain and the
 * initial networks. The builders of {@link InMemoryRecordSource} and {@link LiveRecordSource} extend it.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class SourceSettings<B extends SourceSettings<B>> {
    /** The TTL of every record when none is set, in seconds: Docker's for service discovery answers. */
    public static final int DEFAULT_TTL = 600;

    int ttl = DEFAULT_TTL;
    String domain = "";
    List<MeshNetwork> networks = List.of();

    SourceSettings() {
    }

    /** The builder itself, for chaining. */
    abstract B self();

    /**
     * The default (and highest) TTL of every record.
     *
     * @param seconds at least 0; default {@value #DEFAULT_TTL}
     * @return this builder
     */
    public B ttl(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("negative TTL " + seconds);
        }
        this.ttl = seconds;
        return self();
    }

    /**
     * The cluster domain: PTR and SRV targets are qualified with it (e.g. {@code web.front.mesh}).
     *
     * @param clusterDomain a dotted name, with or without the trailing dot
     * @return this builder
     */
    public B domain(String clusterDomain) {
        this.domain = DomainName.canonical(clusterDomain);
        return self();
    }

    /**
     * The initial networks.
     *
     * @param initial the networks
     * @return this builder
     */
    public B networks(List<MeshNetwork> initial) {
        this.networks = List.copyOf(initial);
        return self();
    }
}
