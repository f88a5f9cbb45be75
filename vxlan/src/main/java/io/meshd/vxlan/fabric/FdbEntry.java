package io.meshd.vxlan.fabric;

import io.meshd.packet.MacAddress;

import java.util.Optional;

/**
 * One forwarding entry: in network {@link #vni()}, frames to {@link #mac()} go to a local port or to a remote VTEP.
 * Static entries come from the control plane and never age; learned entries come from frames' source addresses and
 * expire when not refreshed within the aging time. Immutable except for a learned entry's last-seen time.
 */
public final class FdbEntry extends TableEntry {
    /** Returned by {@link ForwardingTable#lookup(int, long)} on a miss: neither local nor remote. */
    public static final FdbEntry MISS = new FdbEntry(-1, -1, null, null, false, 0);

    final LocalPort port;
    final RemoteVtep remote;
    private final boolean learned;
    private volatile long lastSeenNanos;

    FdbEntry(int vni, long mac, LocalPort port, RemoteVtep remote, boolean learned, long nowNanos) {
        super(vni, mac);
        this.port = port;
        this.remote = remote;
        this.learned = learned;
        this.lastSeenNanos = nowNanos;
    }

    /**
     * The network.
     *
     * @return the VNI
     */
    public int vni() {
        return vni;
    }

    /**
     * The destination MAC.
     *
     * @return the address bits
     */
    public long mac() {
        return key;
    }

    /**
     * Whether frames go to a port on this host.
     *
     * @return true for a local entry
     */
    public boolean isLocal() {
        return port != null;
    }

    /**
     * Whether frames go to a remote VTEP.
     *
     * @return true for a remote entry
     */
    public boolean isRemote() {
        return remote != null;
    }

    /**
     * Whether the entry was learned from traffic (and ages) rather than set by the control plane.
     *
     * @return true for a learned entry
     */
    public boolean isLearned() {
        return learned;
    }

    /**
     * The local port, for a local entry.
     *
     * @return the port, or empty for a remote entry or {@link #MISS}
     */
    public Optional<LocalPort> localPort() {
        return Optional.ofNullable(port);
    }

    /**
     * The remote VTEP, for a remote entry.
     *
     * @return the VTEP, or empty for a local entry or {@link #MISS}
     */
    public Optional<RemoteVtep> remoteVtep() {
        return Optional.ofNullable(remote);
    }

    /**
     * When the entry was created or last refreshed by a frame, on the fabric's clock.
     *
     * @return nanoseconds
     */
    public long lastSeenNanos() {
        return lastSeenNanos;
    }

    boolean pointsTo(LocalPort localPort, RemoteVtep remoteVtep) {
        return port == localPort && (remote == remoteVtep || remote != null && remote.equals(remoteVtep));
    }

    /**
     * Moves the last-seen time forward at most once per {@code granularity}, so a busy flow does not write the
     * shared cache line on every frame.
     */
    void refresh(long nowNanos, long granularityNanos) {
        if (nowNanos - lastSeenNanos >= granularityNanos) {
            // Volatile write: readers deciding expiry on other threads see the refresh promptly.
            lastSeenNanos = nowNanos;
        }
    }

    boolean isExpired(long nowNanos, long agingNanos) {
        return learned && nowNanos - lastSeenNanos > agingNanos;
    }

    @Override
    public String toString() {
        String target = port != null ? "port " + port.id() : remote != null ? "vtep " + remote : "none";
        return "vni " + vni + " " + MacAddress.format(key) + " -> " + target + (learned ? " (learned)" : " (static)");
    }
}
