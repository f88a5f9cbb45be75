package io.meshd.dns.records;

import io.meshd.dns.NameNode;
import io.meshd.dns.RecordSource;
import io.meshd.dns.RecordView;
import io.meshd.dns.records.Contributions.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@link RecordSource} that changes while it serves. Changes arrive as {@link Batch batches} (endpoints, services
 * and networks added, changed and removed, many at once) and are applied by one updater thread of the source's
 * own, never the caller's nor an event loop. The names of each distinct scope (set of networks) are a persistent
 * trie shared by the views of that scope: a batch computes, per endpoint and per service it touches, which
 * (name, record) pairs go and which come, edits a copy of every affected scope's trie (sharing everything off the
 * edited paths), and publishes each new trie with one volatile write once the whole batch is computed. A query
 * therefore sees a view's names either before or after a batch, never half of it, and an update costs what it
 * changed (a few trie paths per name), not a rebuild of the table.
 *
 * <p>Views are registered by {@link #view(Set)} and unregistered by {@link LiveView#close()} (when the namespace
 * they served went away); {@link LiveView#scope(Set)} changes the networks a view sees while it is served.
 */
public final class LiveRecordSource implements RecordSource, AutoCloseable {

    private final Contributions contributions;
    private final Executor updater;
    private final ExecutorService ownUpdater;
    private volatile Thread updaterThread;
    // Updater-thread state: the model and the registered views.
    private final Map<String, NetworkState> networks = new LinkedHashMap<>();
    private final Map<Set<String>, Scope> scopes = new LinkedHashMap<>();
    private int viewCount;
    private volatile long batches;

    private LiveRecordSource(Builder b) {
        this.contributions = new Contributions(b.ttl, b.domain);
        if (b.updater != null) {
            this.ownUpdater = null;
            this.updater = b.updater;
        } else {
            this.ownUpdater = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "meshd-dns-records");
                t.setDaemon(true);
                updaterThread = t;
                return t;
            });
            this.updater = ownUpdater;
        }
        if (!b.networks.isEmpty()) {
            replace(b.networks).join();
        }
    }

    /** A builder with TTL 600, no domain and no networks. */
    public static Builder builder() {
        return new Builder();
    }

    /** An empty batch to fill and {@link #apply}. */
    public static RecordBatch batch() {
        return new RecordBatch();
    }

    /**
     * Applies a batch on the updater thread. The future completes once every view shows the whole batch; views
     * show none of it before.
     */
    public CompletableFuture<Void> apply(RecordBatch batch) {
        List<RecordBatch.Op> ops = batch.ops();
        return onUpdater(() -> applyNow(ops));
    }

    /** Applies changes and publishes them at once; updater thread only. */
    private void applyNow(List<RecordBatch.Op> ops) {
        List<Delta> deltas = new ArrayList<>();
        for (RecordBatch.Op op : ops) {
            op.apply(this, deltas);
        }
        publish(deltas);
    }

    /**
     * Makes the networks exactly these, as one batch of the differences: endpoints and services that are equal
     * to the ones served are left alone, so reloading a file with one change costs one change.
     */
    public CompletableFuture<Void> replace(List<MeshNetwork> newNetworks) {
        List<MeshNetwork> copy = List.copyOf(newNetworks);
        return onUpdater(() -> applyNow(RecordBatch.difference(networks, copy).ops()));
    }

    /** The networks served now, as of the last applied batch. */
    public List<MeshNetwork> networks() {
        return callOnUpdater(() -> {
            List<MeshNetwork> out = new ArrayList<>();
            for (Map.Entry<String, NetworkState> e : networks.entrySet()) {
                out.add(new MeshNetwork(e.getKey(), List.copyOf(e.getValue().endpoints.values()),
                    List.copyOf(e.getValue().services.values())));
            }
            return out;
        });
    }

    /** How many batches (including replacements and scope changes) have been published. */
    public long batches() {
        return batches;
    }

    /** How many views are registered. */
    public int viewCount() {
        return callOnUpdater(() -> viewCount);
    }

    /** How many distinct scopes the views have: views of the same networks share one trie. */
    public int scopeCount() {
        return callOnUpdater(scopes::size);
    }

    /**
     * Registers a view of these networks, filled before it is returned. Close it when its listener goes.
     */
    @Override
    public LiveView view(Set<String> scope) {
        Set<String> s = Set.copyOf(scope);
        return callOnUpdater(() -> {
            Scope shared = scopes.get(s);
            if (shared == null) {
                NameTrie<NameEntry> t = NameTrie.empty();
                for (String n : s) {
                    t = addNetwork(t, networks.get(n));
                }
                shared = new Scope(s, t);
                scopes.put(s, shared);
            }
            shared.views++;
            viewCount++;
            return new LiveView(shared);
        });
    }

    /** Stops the updater thread (unless it was given); views keep answering with their last names. */
    @Override
    public void close() {
        if (ownUpdater != null) {
            ownUpdater.shutdown();
        }
    }

    private CompletableFuture<Void> onUpdater(Runnable task) {
        if (Thread.currentThread() == updaterThread) {
            task.run();
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(task, updater);
    }

    private <T> T callOnUpdater(java.util.function.Supplier<T> task) {
        if (Thread.currentThread() == updaterThread) {
            return task.get();
        }
        try {
            return CompletableFuture.supplyAsync(task, updater).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    /** Computes every affected view's new trie, then publishes them all. */
    private void publish(List<Delta> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        List<Scope> all = new ArrayList<>(scopes.values());
        List<NameTrie<NameEntry>> next = new ArrayList<>(all.size());
        for (Scope scope : all) {
            NameTrie<NameEntry> t = scope.names.trie;
            for (Delta d : deltas) {
                if (scope.networks.contains(d.network())) {
                    t = apply(t, d);
                }
            }
            next.add(t);
        }
        for (int i = 0; i < next.size(); i++) {
            // One volatile write per scope: its readers switch from the old names to the new ones at once.
            all.get(i).names = new Names(next.get(i));
        }
        batches++;
    }

    private static NameTrie<NameEntry> apply(NameTrie<NameEntry> t, Delta d) {
        for (Pair p : d.removed()) {
            t = TrieEdits.remove(t, p.name(), p.record());
        }
        for (Pair p : d.added()) {
            t = TrieEdits.add(t, p.name(), p.record());
        }
        return t;
    }

    private static NameTrie<NameEntry> addNetwork(NameTrie<NameEntry> t, NetworkState n) {
        if (n == null) {
            return t;
        }
        for (Pair p : n.allPairs()) {
            t = TrieEdits.add(t, p.name(), p.record());
        }
        return t;
    }

    private static NameTrie<NameEntry> removeNetwork(NameTrie<NameEntry> t, NetworkState n) {
        if (n == null) {
            return t;
        }
        for (Pair p : n.allPairs()) {
            t = TrieEdits.remove(t, p.name(), p.record());
        }
        return t;
    }

    /** The network's state, created if new; updater thread only. */
    NetworkState network(String name) {
        return networks.computeIfAbsent(name, k -> new NetworkState(k, contributions));
    }

    /** The network's state, or null; updater thread only. */
    NetworkState existingNetwork(String name) {
        return networks.get(name);
    }

    /** Forgets a network and returns its state, or null; updater thread only. */
    NetworkState forgetNetwork(String name) {
        return networks.remove(name);
    }

    /** The names of one set of networks, shared by every view of exactly that set. */
    private static final class Scope {
        final Set<String> networks;
        volatile Names names;
        /** Views on it; updater thread only. */
        int views;

        Scope(Set<String> networks, NameTrie<NameEntry> trie) {
            this.networks = networks;
            this.names = new Names(trie);
        }
    }

    /** One published state of a scope's names: what a query pins with {@link LiveView#current()}. */
    private static final class Names implements RecordView {
        final NameTrie<NameEntry> trie;

        Names(NameTrie<NameEntry> trie) {
            this.trie = trie;
        }

        @Override
        public NameNode find(byte[] lowerCaseWireName, int length) {
            return NameTrie.find(trie, lowerCaseWireName, length);
        }
    }

    /**
     * A view of the names of a set of networks. {@link #find} reads the current names (two volatile reads: the
     * view's scope, then its names) and allocates nothing; {@link #current()} pins them for one query.
     */
    public final class LiveView implements RecordView, AutoCloseable {
        private volatile Scope current;
        // Updater-thread state.
        private boolean closed;

        private LiveView(Scope scope) {
            this.current = scope;
        }

        @Override
        public NameNode find(byte[] lowerCaseWireName, int length) {
            return current.names.find(lowerCaseWireName, length);
        }

        @Override
        public RecordView current() {
            return current.names;
        }

        /** The networks this view sees. */
        public Set<String> scope() {
            return current.networks;
        }

        /** How many names (empty non-terminals included) this view has now. */
        public int size() {
            return current.names.trie.size();
        }

        /**
         * Changes the networks this view sees while it is served: the names of networks leaving the scope go and
         * those of networks joining come, published at once (the view switches to the new scope's trie, made from
         * the old one by the networks that differ, or shared with views of that scope already).
         */
        public CompletableFuture<Void> scope(Set<String> newScope) {
            Set<String> s = Set.copyOf(newScope);
            return onUpdater(() -> {
                if (closed) {
                    throw new IllegalStateException("view is closed");
                }
                Scope old = current;
                if (old.networks.equals(s)) {
                    return;
                }
                Scope target = scopes.get(s);
                if (target == null) {
                    NameTrie<NameEntry> t = old.names.trie;
                    for (String n : old.networks) {
                        if (!s.contains(n)) {
                            t = removeNetwork(t, networks.get(n));
                        }
                    }
                    for (String n : s) {
                        if (!old.networks.contains(n)) {
                            t = addNetwork(t, networks.get(n));
                        }
                    }
                    target = new Scope(s, t);
                    scopes.put(s, target);
                }
                target.views++;
                release(old);
                current = target;
                batches++;
            });
        }

        /** Unregisters the view: it keeps its last names, and later batches no longer update it. Idempotent. */
        @Override
        public void close() {
            callOnUpdater(() -> {
                if (!closed) {
                    closed = true;
                    Scope old = current;
                    current = new Scope(old.networks, old.names.trie);
                    release(old);
                    viewCount--;
                }
                return null;
            });
        }

        private void release(Scope scope) {
            if (--scope.views == 0) {
                scopes.remove(scope.networks);
            }
        }
    }

    /** Configures a {@link LiveRecordSource}. */
    public static final class Builder extends SourceSettings<Builder> {
        private Executor updater;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Runs updates on this executor instead of a thread of the source's own. It must run tasks one at a time
         * in the order given (a single writer); {@code Runnable::run} applies each batch on the caller's thread,
         * for benchmarks and tests.
         */
        public Builder updater(Executor executor) {
            this.updater = executor;
            return this;
        }

        /** Builds the source and starts its updater thread. */
        public LiveRecordSource build() {
            return new LiveRecordSource(this);
        }
    }
}
