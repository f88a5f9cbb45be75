package io.meshd.vxlan.fabric;

import io.meshd.net.metrics.EnumCounters;
import org.agrona.concurrent.NanoClock;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The forwarding database: (VNI, MAC) to a local port or a remote VTEP. Static entries come from the control plane;
 * learned entries from source addresses of frames, refreshed by traffic and expired after the aging time on the
 * fabric's clock (a learned entry past its age is a miss even before {@link #expire()} sweeps it).
 *
 * <p>Static entries never need the clock, so a frame between addresses with static entries reads no clock at all;
 * one that involves learned entries reads it once.
 *
 * <p>Threads: {@link #lookup(int, long)} is lock-free and allocation-free from any thread. Writes (control plane
 * and learning of new addresses) are serialised on the table; refreshing a known learned entry takes no lock.
 * Learning never overrides a static entry, and stops adding entries at the configured maximum.
 */
public final class ForwardingTable {
    /** Stands for "the clock was not read for this frame"; a clock really returning it costs one extra read. */
    static final long NO_TIME = Long.MIN_VALUE;
    private static final long REFRESH_GRANULARITY_NANOS = 1_000_000_000L;
    private final KeyedTable table = new KeyedTable();
    private final NanoClock clock;
    private final long agingNanos;
    private final int maxEntries;
    private final EnumCounters<TrafficCounter> learned;

    ForwardingTable(NanoClock clock, long agingNanos, int maxEntries, EnumCounters<TrafficCounter> learned) {
        this.clock = clock;
        this.agingNanos = agingNanos;
        this.maxEntries = maxEntries;
        this.learned = learned;
    }

    /**
     * Sets a static entry to a remote VTEP, replacing any entry for the key.
     *
     * @param vni the network
     * @param mac the destination MAC
     * @param vtep the VTEP behind which the MAC lives
     */
    public void putRemote(int vni, long mac, RemoteVtep vtep) {
        table.put(new FdbEntry(vni, mac, null, Objects.requireNonNull(vtep, "vtep"), false, clock.nanoTime()));
    }

    /**
     * Sets a static entry to a local port, replacing any entry for the key.
     *
     * @param vni the network
     * @param mac the destination MAC
     * @param port the port behind which the MAC lives
     */
    public void putLocal(int vni, long mac, LocalPort port) {
        table.put(new FdbEntry(vni, mac, Objects.requireNonNull(port, "port"), null, false, clock.nanoTime()));
    }

    /**
     * Removes the entry for a key, static or learned.
     *
     * @param vni the network
     * @param mac the MAC
     * @return whether there was one
     */
    public boolean remove(int vni, long mac) {
        return table.remove(vni, mac) != null;
    }

    /**
     * Removes every entry pointing to a port (when it is detached).
     *
     * @param port the port
     * @return how many entries went
     */
    public int removePort(LocalPort port) {
        return table.removeIf(entry -> ((FdbEntry) entry).port == port);
    }

    /**
     * Removes every entry pointing to a VTEP (when its node leaves or dies).
     *
     * @param vtep the VTEP
     * @return how many entries went
     */
    public int removeVtep(RemoteVtep vtep) {
        return table.removeIf(entry -> vtep.equals(((FdbEntry) entry).remote));
    }

    /**
     * Removes every entry of a network.
     *
     * @param vni the network
     * @return how many entries went
     */
    public int removeNetwork(int vni) {
        return table.removeIf(entry -> entry.vni == vni);
    }

    /**
     * The live entry for a key. Lock-free and allocation-free: the packet path's lookup. The clock is read only if
     * the entry is a learned one (to check its age).
     *
     * @param vni the network
     * @param mac the destination MAC
     * @return the entry, or {@link FdbEntry#MISS} if there is none or it has aged out
     */
    public FdbEntry lookup(int vni, long mac) {
        return lookup(vni, mac, NO_TIME);
    }

    /** {@link #lookup(int, long)} reusing a clock reading of the same frame, if there was one. */
    FdbEntry lookup(int vni, long mac, long nowNanos) {
        TableEntry entry = table.get(vni, mac);
        if (entry == null) {
            return FdbEntry.MISS;
        }
        FdbEntry fdbEntry = (FdbEntry) entry;
        if (fdbEntry.isLearned()
            && fdbEntry.isExpired(nowNanos == NO_TIME ? clock.nanoTime() : nowNanos, agingNanos)) {
            return FdbEntry.MISS;
        }
        return fdbEntry;
    }

    /**
     * The live entry for a key, for the control plane.
     *
     * @param vni the network
     * @param mac the destination MAC
     * @return the entry, or empty
     */
    public Optional<FdbEntry> find(int vni, long mac) {
        FdbEntry entry = lookup(vni, mac);
        return entry == FdbEntry.MISS ? Optional.empty() : Optional.of(entry);
    }

    /**
     * Learns that a MAC sits behind a local port.
     *
     * @param vni the network
     * @param mac the source MAC of a frame
     * @param port the port it came in on
     * @return whether the table changed (a new or moved entry)
     */
    public boolean learnLocal(int vni, long mac, LocalPort port) {
        return learn(table.get(vni, mac), vni, mac, port, null, clock.nanoTime());
    }

    /**
     * Learns that a MAC sits behind a remote VTEP.
     *
     * @param vni the network
     * @param mac the source MAC of a decapsulated frame
     * @param vtep the VTEP it came from
     * @return whether the table changed (a new or moved entry)
     */
    public boolean learnRemote(int vni, long mac, RemoteVtep vtep) {
        return learn(table.get(vni, mac), vni, mac, null, vtep, clock.nanoTime());
    }

    /**
     * Learns a frame's source for the fabric, reading the clock only when the address has no static entry.
     *
     * @return the clock reading, for the same frame's lookup, or {@link #NO_TIME} if the clock was not read
     */
    long learnSource(int vni, long mac, LocalPort port, RemoteVtep vtep) {
        TableEntry found = table.get(vni, mac);
        if (found != null && !((FdbEntry) found).isLearned()) {
            return NO_TIME;
        }
        long now = clock.nanoTime();
        learn(found, vni, mac, port, vtep, now);
        return now;
    }

    /** Exactly one of port and vtep is non-null; found is the current entry for the key or null. */
    private boolean learn(TableEntry found, int vni, long mac, LocalPort port, RemoteVtep vtep, long now) {
        if (found != null) {
            FdbEntry current = (FdbEntry) found;
            if (!current.isLearned()) {
                return false;
            }
            if (current.pointsTo(port, vtep) && !current.isExpired(now, agingNanos)) {
                current.refresh(now, REFRESH_GRANULARITY_NANOS);
                return false;
            }
        }
        return learnSlowly(vni, mac, port, vtep, now);
    }

    /** New or moved address: allocates an entry and takes the table lock, rare after warm-up. */
    private boolean learnSlowly(int vni, long mac, LocalPort port, RemoteVtep vtep, long now) {
        synchronized (table) {
            TableEntry found = table.get(vni, mac);
            if (found != null && !((FdbEntry) found).isLearned()) {
                return false;
            }
            if (found == null && table.size() >= maxEntries) {
                return false;
            }
            table.put(new FdbEntry(vni, mac, port, vtep, true, now));
            learned.increment(TrafficCounter.LEARNED);
            return true;
        }
    }

    /**
     * Removes learned entries not refreshed within the aging time. Call it periodically (a few times per aging
     * period) from the control plane; lookups already ignore expired entries.
     *
     * @return how many entries went
     */
    public int expire() {
        long now = clock.nanoTime();
        return table.removeIf(entry -> ((FdbEntry) entry).isExpired(now, agingNanos));
    }

    /**
     * Live and not yet swept entries, for the API and CLI (allocates).
     *
     * @return a copy of every entry
     */
    public List<FdbEntry> entries() {
        return table.entries(entry -> true).stream().map(FdbEntry.class::cast).toList();
    }

    /**
     * Entries in the table, including learned ones that have aged but are not swept yet.
     *
     * @return the count
     */
    public int size() {
        return table.size();
    }

    /**
     * The aging time of learned entries.
     *
     * @return nanoseconds
     */
    public long agingNanos() {
        return agingNanos;
    }
}
