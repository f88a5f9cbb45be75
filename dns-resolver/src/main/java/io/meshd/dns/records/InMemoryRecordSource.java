package io.meshd.dns.records;

import io.meshd.dns.NameNode;
import io.meshd.dns.RecordSource;
import io.meshd.dns.RecordView;
import io.meshd.dns.internal.NameTable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RecordSource} over networks held in memory. {@link #replace} swaps the whole set of networks; every view
 * rebuilds its table then and the query path switches to it with one volatile read, so lookups never lock.
 */
public final class InMemoryRecordSource implements RecordSource {

    private final int ttl;
    private final String targetSuffix;
    private final List<ScopedView> views = new CopyOnWriteArrayList<>();
    private volatile List<MeshNetwork> networks;

    private InMemoryRecordSource(Builder b) {
        this.ttl = b.ttl;
        this.targetSuffix = b.domain;
        this.networks = b.networks;
    }

    /** A builder with TTL 600, no domain and no networks. */
    public static Builder builder() {
        return new Builder();
    }

    /** Replaces every network at once. */
    public void replace(List<MeshNetwork> newNetworks) {
        networks = List.copyOf(newNetworks);
        for (ScopedView v : views) {
            v.rebuild();
        }
    }

    /** The networks currently served. */
    public List<MeshNetwork> networks() {
        return networks;
    }

    /** The cluster domain PTR and SRV targets are qualified with, if any. */
    public Optional<String> domain() {
        return targetSuffix.isEmpty() ? Optional.empty() : Optional.of(targetSuffix);
    }

    @Override
    public RecordView view(Set<String> scope) {
        ScopedView view = new ScopedView(Set.copyOf(scope));
        views.add(view);
        return view;
    }

    /** The view of one scope; its table is rebuilt when the networks change. */
    private final class ScopedView implements RecordView {
        private final Set<String> scope;
        private volatile NameTable table;

        ScopedView(Set<String> scope) {
            this.scope = scope;
            rebuild();
        }

        void rebuild() {
            table = new ViewBuilder(ttl, targetSuffix).build(networks, scope);
        }

        @Override
        public NameNode find(byte[] lowerCaseWireName, int length) {
            return table.find(lowerCaseWireName, length);
        }
    }

    /** Configures an {@link InMemoryRecordSource}. */
    public static final class Builder extends SourceSettings<Builder> {

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** Builds the source. */
        public InMemoryRecordSource build() {
            return new InMemoryRecordSource(this);
        }
    }
}
