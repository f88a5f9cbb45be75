package io.meshd.gossip.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** What a {@link Simulation} measured; {@link #format(boolean)} prints it. */
public final class SimulationReport {

    private final int nodes;
    private final double loss;
    private final double slowFraction;
    private final long seed;
    private final Duration duration;
    private final List<Long> detections;
    private final int observers;
    private final long firstSuspicionNanos;
    private final List<Long> disseminations;
    private final int receivers;
    private final int falselyDeadMembers;
    private final int falseDeclarations;
    private final double packetsPerNodeSecond;
    private final double bytesPerNodeSecond;
    private final double streamsPerNodeSecond;
    private final double streamBytesPerNodeSecond;
    private final long events;
    private final long wallNanos;

    SimulationReport(int nodes, double loss, double slowFraction, long seed, Duration duration,
                     List<Long> detections, int observers, long firstSuspicionNanos, List<Long> disseminations,
                     int receivers, int falselyDeadMembers, int falseDeclarations, double packetsPerNodeSecond,
                     double bytesPerNodeSecond, double streamsPerNodeSecond, double streamBytesPerNodeSecond,
                     long events, long wallNanos) {
        this.nodes = nodes;
        this.loss = loss;
        this.slowFraction = slowFraction;
        this.seed = seed;
        this.duration = duration;
        this.detections = sorted(detections);
        this.observers = observers;
        this.firstSuspicionNanos = firstSuspicionNanos;
        this.disseminations = sorted(disseminations);
        this.receivers = receivers;
        this.falselyDeadMembers = falselyDeadMembers;
        this.falseDeclarations = falseDeclarations;
        this.packetsPerNodeSecond = packetsPerNodeSecond;
        this.bytesPerNodeSecond = bytesPerNodeSecond;
        this.streamsPerNodeSecond = streamsPerNodeSecond;
        this.streamBytesPerNodeSecond = streamBytesPerNodeSecond;
        this.events = events;
        this.wallNanos = wallNanos;
    }

    private static List<Long> sorted(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        return List.copyOf(s);
    }

    /** Members that marked the crashed one dead. */
    public int detected() {
        return detections.size();
    }

    /** Members other than the crashed one. */
    public int observers() {
        return observers;
    }

    /** Crash-to-dead percentile over the members that detected it, in seconds (NaN if none). */
    public double detectionSeconds(double percentile) {
        return percentile(detections, percentile);
    }

    /** Members that received the table update. */
    public int reached() {
        return disseminations.size();
    }

    /** Members other than the writer. */
    public int receivers() {
        return receivers;
    }

    /** Write-to-visible percentile over the members reached, in seconds. */
    public double disseminationSeconds(double percentile) {
        return percentile(disseminations, percentile);
    }

    /** Healthy members declared dead by at least one member. */
    public int falselyDeadMembers() {
        return falselyDeadMembers;
    }

    /** Packets sent per member per second. */
    public double packetsPerNodeSecond() {
        return packetsPerNodeSecond;
    }

    /** Packet bytes sent per member per second. */
    public double bytesPerNodeSecond() {
        return bytesPerNodeSecond;
    }

    private static double percentile(List<Long> s, double p) {
        if (s.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i))) / 1e9;
    }

    /** The report as printed by {@code meshd simulate}; the wall-time line is the only non-replayable one. */
    public String format(boolean withWallTime) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "simulated %d members for %d s (virtual), loss %.3f, slow %.3f, seed %d%n",
            nodes, duration.toSeconds(), loss, slowFraction, seed));
        b.append(String.format(Locale.ROOT,
            "crash-to-dead at every member: median %.2f s, p99 %.2f s, max %.2f s (%d of %d members detected)%n",
            detectionSeconds(50), detectionSeconds(99), detectionSeconds(100), detected(), observers));
        b.append(String.format(Locale.ROOT, "first suspicion after the crash: %.2f s%n",
            firstSuspicionNanos < 0 ? Double.NaN : firstSuspicionNanos / 1e9));
        b.append(String.format(Locale.ROOT,
            "table update reached all: %.2f s (median %.2f s, p99 %.2f s; %d of %d members)%n",
            reached() == receivers ? disseminationSeconds(100) : Double.NaN, disseminationSeconds(50),
            disseminationSeconds(99), reached(), receivers));
        b.append(String.format(Locale.ROOT, "false positives: %d healthy members declared dead (%d declarations)%n",
            falselyDeadMembers, falseDeclarations));
        b.append(String.format(Locale.ROOT,
            "load per member: %.2f packets/s, %.0f B/s; streams %.3f/s, %.0f B/s%n",
            packetsPerNodeSecond, bytesPerNodeSecond, streamsPerNodeSecond, streamBytesPerNodeSecond));
        if (withWallTime) {
            b.append(String.format(Locale.ROOT, "wall time %.2f s, %d events%n", wallNanos / 1e9, events));
        }
        return b.toString();
    }
}
