package io.meshd.gossip.sim;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.Member;
import io.meshd.gossip.MemberState;
import io.meshd.gossip.TableEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The scenario behind {@code meshd simulate}: N members start from a converged cluster; after a warm-up one member
 * writes a table entry (dissemination time), then another member crashes (crash-to-dead time at every member);
 * meanwhile every healthy member declared dead counts as a false positive. A fraction of the hosts is slow and
 * every packet may be lost. Same parameters and seed, same report.
 */
public final class Simulation {

    private static final long WRITE_AT = Duration.ofSeconds(5).toNanos();
    private static final long CRASH_AT = Duration.ofSeconds(10).toNanos();

    private final int nodes;
    private final double loss;
    private final double slowFraction;
    private final Duration slowDelay;
    private final long seed;
    private final Duration duration;
    private final GossipConfig.Builder config;

    private Simulation(Builder b) {
        this.nodes = b.nodes;
        this.loss = b.loss;
        this.slowFraction = b.slowFraction;
        this.slowDelay = b.slowDelay;
        this.seed = b.seed;
        this.duration = b.duration;
        this.config = b.config;
    }

    /** A builder with LAN settings, 100 nodes, no loss, no slow nodes, seed 1, 60 s. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs the scenario. */
    public SimulationReport run() {
        long wallStart = System.nanoTime();
        SimNetwork net = SimNetwork.create(seed).loss(loss);
        Random scenario = new Random(seed ^ 0x5DEECE66DL);
        List<SimNode> hosts = startConverged(net);
        int slowCount = (int) Math.round(slowFraction * nodes);
        List<SimNode> shuffled = new ArrayList<>(hosts);
        Collections.shuffle(shuffled, scenario);
        for (int i = 0; i < slowCount; i++) {
            net.slow(shuffled.get(i), slowDelay);
        }
        // The crash victim and the writer are healthy hosts, so results measure the protocol, not the victim.
        SimNode victim = shuffled.get(slowCount % nodes);
        SimNode writer = shuffled.get((slowCount + 1) % nodes);
        Observations seen = new Observations(net, victim.name(), CRASH_AT);
        for (SimNode h : hosts) {
            seen.watch(h);
        }
        net.at(WRITE_AT, () -> writer.gossip().put("sim", "probe", new byte[] {1}));
        net.at(CRASH_AT, () -> net.crash(victim));
        net.runFor(duration);
        seen.reachedAt.remove(writer.name());
        return report(hosts, seen, net.eventsExecuted(), System.nanoTime() - wallStart);
    }

    /** {@code nodes} hosts that all know each other alive, as if the cluster had long converged. */
    private List<SimNode> startConverged(SimNetwork net) {
        List<SimNode> hosts = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            hosts.add(net.addNode(config.name(String.format("n%05d", i)).build()));
        }
        List<Member> all = new ArrayList<>();
        for (SimNode h : hosts) {
            all.add(Member.of(h.name(), h.address(), MemberState.ALIVE, 0));
        }
        for (SimNode h : hosts) {
            h.gossip().seedMembers(all);
        }
        return hosts;
    }

    private SimulationReport report(List<SimNode> hosts, Observations seen, long events, long wallNanos) {
        long packets = 0;
        long bytes = 0;
        long streams = 0;
        long streamBytes = 0;
        for (SimNode h : hosts) {
            packets += h.packetsSent();
            bytes += h.bytesSent();
            streams += h.streamsSent();
            streamBytes += h.streamBytesSent();
        }
        double nodeSeconds = nodes * (duration.toNanos() / 1e9);
        return new SimulationReport(nodes, loss, slowFraction, seed, duration, new ArrayList<>(seen.deadAt.values()),
            nodes - 1, seen.firstSuspicion, new ArrayList<>(seen.reachedAt.values()), nodes - 1,
            seen.falselyDead.size(), seen.falseDeclarations, packets / nodeSeconds, bytes / nodeSeconds,
            streams / nodeSeconds, streamBytes / nodeSeconds, events, wallNanos);
    }

    /** What every member saw: when it declared the victim dead, when the write reached it, and false deaths. */
    private static final class Observations {
        final SimNetwork net;
        final String victim;
        final long crashAt;
        final Map<String, Long> deadAt = new HashMap<>();
        final Map<String, Long> reachedAt = new HashMap<>();
        final Set<String> falselyDead = new HashSet<>();
        long firstSuspicion = -1;
        int falseDeclarations;

        Observations(SimNetwork net, String victim, long crashAt) {
            this.net = net;
            this.victim = victim;
            this.crashAt = crashAt;
        }

        void watch(SimNode h) {
            String observer = h.name();
            h.gossip().addMembershipListener(m -> {
                long now = net.nanoTime();
                if (m.name().equals(victim) && now >= crashAt) {
                    if (m.state() == MemberState.SUSPECT && firstSuspicion < 0) {
                        firstSuspicion = now - crashAt;
                    } else if (m.state() == MemberState.DEAD) {
                        deadAt.putIfAbsent(observer, now - crashAt);
                    }
                } else if (m.state() == MemberState.DEAD) {
                    falselyDead.add(m.name());
                    falseDeclarations++;
                }
            });
            h.gossip().addTableListener(ev -> {
                if (ev.kind() == TableEvent.Kind.PUT && ev.key().equals("probe")) {
                    reachedAt.putIfAbsent(observer, net.nanoTime() - WRITE_AT);
                }
            });
        }
    }

    /** Builds a {@link Simulation}. */
    public static final class Builder {
        private int nodes = 100;
        private double loss;
        private double slowFraction;
        private Duration slowDelay = Duration.ofMillis(800);
        private long seed = 1;
        private Duration duration = Duration.ofSeconds(60);
        private GossipConfig.Builder config = GossipConfig.lan();

        private Builder() {
        }

        /** Cluster size (at least 3: a writer, a victim and an observer). */
        public Builder nodes(int v) {
            if (v < 3) {
                throw new IllegalArgumentException("need at least 3 nodes");
            }
            nodes = v;
            return this;
        }

        /** Independent loss probability of every packet. */
        public Builder loss(double v) {
            if (v < 0 || v >= 1) {
                throw new IllegalArgumentException("loss must be in [0, 1)");
            }
            loss = v;
            return this;
        }

        /** Fraction of slow hosts. */
        public Builder slowFraction(double v) {
            if (v < 0 || v > 0.5) {
                throw new IllegalArgumentException("slow fraction must be in [0, 0.5]");
            }
            slowFraction = v;
            return this;
        }

        /** Largest extra delay of a slow host's events. */
        public Builder slowDelay(Duration v) {
            slowDelay = Objects.requireNonNull(v);
            return this;
        }

        /** The seed every random choice derives from. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Virtual time simulated (the crash happens at 10 s). */
        public Builder duration(Duration v) {
            if (v.compareTo(Duration.ofSeconds(15)) < 0) {
                throw new IllegalArgumentException("duration must be at least 15 s (the crash is at 10 s)");
            }
            duration = v;
            return this;
        }

        /** Protocol settings (a preset builder; the name is set per node). */
        public Builder config(GossipConfig.Builder v) {
            config = Objects.requireNonNull(v);
            return this;
        }

        /** Builds the simulation. */
        public Simulation build() {
            return new Simulation(this);
        }
    }
}
