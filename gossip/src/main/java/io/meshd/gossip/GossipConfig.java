package io.meshd.gossip;

import static io.meshd.gossip.ConfigValues.atLeast;
import static io.meshd.gossip.ConfigValues.positive;

import io.meshd.gossip.security.Keyring;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every tunable of a gossip member. Start from a preset ({@link #lan()}, {@link #wan()}, {@link #local()}),
 * which mirror hashicorp/memberlist's; docs/gossip.md gives the reason for every default.
 */
public final class GossipConfig {

    private final String name;
    private final List<InetSocketAddress> seeds;
    private final Duration probeInterval;
    private final Duration probeTimeout;
    private final int indirectChecks;
    private final boolean tcpFallbackProbe;
    private final Duration gossipInterval;
    private final int gossipNodes;
    private final Duration gossipToTheDeadTime;
    private final int retransmitMult;
    private final int suspicionMult;
    private final int suspicionMaxTimeoutMult;
    private final int awarenessMaxMultiplier;
    private final Duration pushPullInterval;
    private final Duration streamTimeout;
    private final int packetSize;
    private final int maxStreamBytes;
    private final Duration reconnectInterval;
    private final Duration reconnectTimeout;
    private final Duration tombstoneTimeout;
    private final Optional<Keyring> keyring;
    private final String label;
    private final TableScopes tables;

    private GossipConfig(Builder b) {
        this.name = b.name;
        this.seeds = List.copyOf(b.seeds);
        this.probeInterval = b.probeInterval;
        this.probeTimeout = b.probeTimeout;
        this.indirectChecks = b.indirectChecks;
        this.tcpFallbackProbe = b.tcpFallbackProbe;
        this.gossipInterval = b.gossipInterval;
        this.gossipNodes = b.gossipNodes;
        this.gossipToTheDeadTime = b.gossipToTheDeadTime;
        this.retransmitMult = b.retransmitMult;
        this.suspicionMult = b.suspicionMult;
        this.suspicionMaxTimeoutMult = b.suspicionMaxTimeoutMult;
        this.awarenessMaxMultiplier = b.awarenessMaxMultiplier;
        this.pushPullInterval = b.pushPullInterval;
        this.streamTimeout = b.streamTimeout;
        this.packetSize = b.packetSize;
        this.maxStreamBytes = b.maxStreamBytes;
        this.reconnectInterval = b.reconnectInterval;
        this.reconnectTimeout = b.reconnectTimeout;
        this.tombstoneTimeout = b.tombstoneTimeout;
        this.keyring = Optional.ofNullable(b.keyring);
        this.label = b.label;
        this.tables = b.tables;
    }

    /** memberlist's DefaultLANConfig: a data-centre network, ~1 ms RTT, rare loss. */
    public static Builder lan() {
        return new Builder();
    }

    /** memberlist's DefaultWANConfig: higher latency and loss, so slower probes and more patience. */
    public static Builder wan() {
        return new Builder()
            .probeInterval(Duration.ofSeconds(5)).probeTimeout(Duration.ofSeconds(3))
            .gossipInterval(Duration.ofMillis(500)).gossipNodes(4).gossipToTheDeadTime(Duration.ofSeconds(60))
            .suspicionMult(6).pushPullInterval(Duration.ofSeconds(60)).streamTimeout(Duration.ofSeconds(30));
    }

    /**
     * memberlist's DefaultLocalConfig: loopback or one host, so fast probes and fewer retransmissions; streams get
     * 5 s (memberlist: 1 s) because many processes share one host and a busy JVM can take seconds to answer one.
     */
    public static Builder local() {
        return new Builder()
            .probeInterval(Duration.ofSeconds(1)).probeTimeout(Duration.ofMillis(200)).indirectChecks(1)
            .gossipInterval(Duration.ofMillis(100)).gossipToTheDeadTime(Duration.ofSeconds(15))
            .retransmitMult(2).suspicionMult(3).pushPullInterval(Duration.ofSeconds(15))
            .streamTimeout(Duration.ofSeconds(5));
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder().name(name).seeds(seeds).probeInterval(probeInterval).probeTimeout(probeTimeout)
            .indirectChecks(indirectChecks).tcpFallbackProbe(tcpFallbackProbe).gossipInterval(gossipInterval)
            .gossipNodes(gossipNodes).gossipToTheDeadTime(gossipToTheDeadTime).retransmitMult(retransmitMult)
            .suspicionMult(suspicionMult).suspicionMaxTimeoutMult(suspicionMaxTimeoutMult)
            .awarenessMaxMultiplier(awarenessMaxMultiplier).pushPullInterval(pushPullInterval)
            .streamTimeout(streamTimeout).packetSize(packetSize).maxStreamBytes(maxStreamBytes)
            .reconnectInterval(reconnectInterval).reconnectTimeout(reconnectTimeout)
            .tombstoneTimeout(tombstoneTimeout).label(label).tables(tables);
        keyring.ifPresent(b::keyring);
        return b;
    }

    /** The declared tables and their scopes (undeclared tables are {@link TableScope#NODE}). */
    public TableScopes tables() {
        return tables;
    }

    /** This member's unique, stable name. */
    public String name() {
        return name;
    }

    /** Addresses tried on join and, periodically, to heal partitions. */
    public List<InetSocketAddress> seeds() {
        return seeds;
    }

    /** Time between probes of successive members (before the local health multiplier). */
    public Duration probeInterval() {
        return probeInterval;
    }

    /** How long to wait for a direct ack before asking others to probe indirectly. */
    public Duration probeTimeout() {
        return probeTimeout;
    }

    /** How many members are asked to probe indirectly. */
    public int indirectChecks() {
        return indirectChecks;
    }

    /** Whether a failed direct probe is also retried over a stream (TCP). */
    public boolean tcpFallbackProbe() {
        return tcpFallbackProbe;
    }

    /** Time between gossip rounds. */
    public Duration gossipInterval() {
        return gossipInterval;
    }

    /** Members gossiped to per round. */
    public int gossipNodes() {
        return gossipNodes;
    }

    /** How long a dead member still receives gossip, so it can learn it was declared dead and refute. */
    public Duration gossipToTheDeadTime() {
        return gossipToTheDeadTime;
    }

    /** Each update is sent RetransmitMult · ⌈log10(n+1)⌉ times. */
    public int retransmitMult() {
        return retransmitMult;
    }

    /** Minimum suspicion timeout = SuspicionMult · log10(max(n,1)) · probe interval. */
    public int suspicionMult() {
        return suspicionMult;
    }

    /** Suspicion starts at this multiple of the minimum and shrinks with independent confirmations. */
    public int suspicionMaxTimeoutMult() {
        return suspicionMaxTimeoutMult;
    }

    /** Upper bound of Lifeguard's local health multiplier. */
    public int awarenessMaxMultiplier() {
        return awarenessMaxMultiplier;
    }

    /** Time between full-state push-pull exchanges with one random member (scaled up in large clusters). */
    public Duration pushPullInterval() {
        return pushPullInterval;
    }

    /** Deadline of a stream request (push-pull, fallback probe). */
    public Duration streamTimeout() {
        return streamTimeout;
    }

    /** Largest UDP payload this member sends; compound messages are packed up to it. */
    public int packetSize() {
        return packetSize;
    }

    /** Largest stream request or response accepted. */
    public int maxStreamBytes() {
        return maxStreamBytes;
    }

    /** Time between attempts to reach dead members and seeds (automatic partition heal). */
    public Duration reconnectInterval() {
        return reconnectInterval;
    }

    /** How long a dead member is remembered and retried before it is forgotten. */
    public Duration reconnectTimeout() {
        return reconnectTimeout;
    }

    /** How long a table tombstone is kept before it is reaped. */
    public Duration tombstoneTimeout() {
        return tombstoneTimeout;
    }

    /** Keys for AES-GCM; empty means plaintext. */
    public Optional<Keyring> keyring() {
        return keyring;
    }

    /** Cluster label bound into every packet and stream; members with different labels never talk. */
    public String label() {
        return label;
    }

    /** Builds a {@link GossipConfig}; every setter has the LAN preset's value until called. */
    public static final class Builder {
        private String name = "";
        private List<InetSocketAddress> seeds = new ArrayList<>();
        private Duration probeInterval = Duration.ofSeconds(1);
        private Duration probeTimeout = Duration.ofMillis(500);
        private int indirectChecks = 3;
        private boolean tcpFallbackProbe = true;
        private Duration gossipInterval = Duration.ofMillis(200);
        private int gossipNodes = 3;
        private Duration gossipToTheDeadTime = Duration.ofSeconds(30);
        private int retransmitMult = 4;
        private int suspicionMult = 4;
        private int suspicionMaxTimeoutMult = 6;
        private int awarenessMaxMultiplier = 8;
        private Duration pushPullInterval = Duration.ofSeconds(30);
        private Duration streamTimeout = Duration.ofSeconds(10);
        private int packetSize = 1400;
        private int maxStreamBytes = 16 << 20;
        private Duration reconnectInterval = Duration.ofSeconds(30);
        private Duration reconnectTimeout = Duration.ofHours(24);
        private Duration tombstoneTimeout = Duration.ofHours(24);
        private TableScopes tables = TableScopes.none();
        private Keyring keyring;
        private String label = "";

        private Builder() {
        }

        /** Sets {@link GossipConfig#name()}. */
        public Builder name(String v) {
            name = Objects.requireNonNull(v);
            return this;
        }

        /** Sets {@link GossipConfig#seeds()}. */
        public Builder seeds(List<InetSocketAddress> v) {
            seeds = new ArrayList<>(v);
            return this;
        }

        /** Sets {@link GossipConfig#probeInterval()}. */
        public Builder probeInterval(Duration v) {
            probeInterval = positive(v);
            return this;
        }

        /** Sets {@link GossipConfig#probeTimeout()}. */
        public Builder probeTimeout(Duration v) {
            probeTimeout = positive(v);
            return this;
        }

        /** Sets {@link GossipConfig#indirectChecks()}. */
        public Builder indirectChecks(int v) {
            indirectChecks = atLeast(v, 0);
            return this;
        }

        /** Sets {@link GossipConfig#tcpFallbackProbe()}. */
        public Builder tcpFallbackProbe(boolean v) {
            tcpFallbackProbe = v;
            return this;
        }

        /** Sets {@link GossipConfig#gossipInterval()}. */
        public Builder gossipInterval(Duration v) {
            gossipInterval = positive(v);
            return this;
        }

        /** Sets {@link GossipConfig#gossipNodes()}. */
        public Builder gossipNodes(int v) {
            gossipNodes = atLeast(v, 1);
            return this;
        }

        /** Sets {@link GossipConfig#gossipToTheDeadTime()}. */
        public Builder gossipToTheDeadTime(Duration v) {
            gossipToTheDeadTime = Objects.requireNonNull(v);
            return this;
        }

        /** Sets {@link GossipConfig#retransmitMult()}. */
        public Builder retransmitMult(int v) {
            retransmitMult = atLeast(v, 1);
            return this;
        }

        /** Sets {@link GossipConfig#suspicionMult()}. */
        public Builder suspicionMult(int v) {
            suspicionMult = atLeast(v, 1);
            return this;
        }

        /** Sets {@link GossipConfig#suspicionMaxTimeoutMult()}. */
        public Builder suspicionMaxTimeoutMult(int v) {
            suspicionMaxTimeoutMult = atLeast(v, 1);
            return this;
        }

        /** Sets {@link GossipConfig#awarenessMaxMultiplier()}. */
        public Builder awarenessMaxMultiplier(int v) {
            awarenessMaxMultiplier = atLeast(v, 1);
            return this;
        }

        /** Sets {@link GossipConfig#pushPullInterval()}. */
        public Builder pushPullInterval(Duration v) {
            pushPullInterval = positive(v);
            return this;
        }

        /** Sets {@link GossipConfig#streamTimeout()}. */
        public Builder streamTimeout(Duration v) {
            streamTimeout = positive(v);
            return this;
        }

        /** Sets {@link GossipConfig#packetSize()}; at least 512 so one update of each kind always fits. */
        public Builder packetSize(int v) {
            packetSize = atLeast(v, 512);
            return this;
        }

        /** Sets {@link GossipConfig#maxStreamBytes()}. */
        public Builder maxStreamBytes(int v) {
            maxStreamBytes = atLeast(v, 4096);
            return this;
        }

        /** Sets {@link GossipConfig#reconnectInterval()}. */
        public Builder reconnectInterval(Duration v) {
            reconnectInterval = positive(v);
            return this;
        }

        /** Sets {@link GossipConfig#reconnectTimeout()}. */
        public Builder reconnectTimeout(Duration v) {
            reconnectTimeout = Objects.requireNonNull(v);
            return this;
        }

        /** Sets {@link GossipConfig#tombstoneTimeout()}. */
        public Builder tombstoneTimeout(Duration v) {
            tombstoneTimeout = Objects.requireNonNull(v);
            return this;
        }

        /** Enables AES-GCM with {@code v}. */
        public Builder keyring(Keyring v) {
            keyring = Objects.requireNonNull(v);
            return this;
        }

        /** Sets {@link GossipConfig#label()} (at most 255 UTF-8 bytes). */
        public Builder label(String v) {
            label = ConfigValues.label(v);
            return this;
        }

        /** Sets {@link GossipConfig#tables()}. */
        public Builder tables(TableScopes v) {
            tables = Objects.requireNonNull(v);
            return this;
        }

        /** Builds the configuration; the name must be set. */
        public GossipConfig build() {
            ConfigValues.checkBuild(name, probeTimeout, probeInterval);
            return new GossipConfig(this);
        }
    }
}
