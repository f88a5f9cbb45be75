package io.meshd;

import io.meshd.gossip.GossipConfig;
import io.meshd.mesh.codec.Names;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Mesh} node is built from: its name, where it gossips (bind, advertised address, seeds, the gossip
 * configuration), its VTEP's address and UDP port, and the cluster's DNS domain.
 *
 * @param nodeName the node's (and gossip member's) name, as {@link Names}
 * @param gossipBind where gossip listens, UDP and TCP (port 0 picks one)
 * @param gossipAdvertise the address announced to others, if not the bound one
 * @param seeds members to join through
 * @param gossip the gossip configuration; its name and table declarations are set by the mesh
 * @param vtepAddress the VTEP's IPv4 address, reachable from the other nodes
 * @param vtepPort the VTEP's UDP port; 0 picks a free one and sends from ephemeral source ports (several nodes on
 *     one host, as in tests)
 * @param clusterDomain the DNS domain served authoritatively, or empty
 * @param syncTimeout how long start waits for the first full state exchange before it writes
 * @param upstreams resolvers for names outside the mesh (none: those get SERVFAIL)
 * @param stateFile where this node keeps its attachments so a restart takes them up again (see
 *     {@link io.meshd.mesh.StateFile}); empty: attachments do not outlive the process
 * @param routingMesh whether published ports answer on this node ({@link io.meshd.mesh.PublishedPorts}; needs root
 *     and network namespaces, skipped without them): off for several nodes sharing one namespace
 */
public record MeshOptions(String nodeName, InetSocketAddress gossipBind, Optional<InetAddress> gossipAdvertise,
                          List<InetSocketAddress> seeds, GossipConfig gossip, Inet4Address vtepAddress, int vtepPort,
                          String clusterDomain, Duration syncTimeout, List<InetSocketAddress> upstreams,
                          Optional<Path> stateFile, boolean routingMesh) {

    /** The IANA VXLAN port. */
    public static final int VXLAN_PORT = 4789;

    /** Checks the options. */
    public MeshOptions {
        Names.check(nodeName, "node name");
        Objects.requireNonNull(gossipBind, "gossip bind address");
        Objects.requireNonNull(vtepAddress, "VTEP address");
        Objects.requireNonNull(stateFile, "state file");
        seeds = List.copyOf(seeds);
        upstreams = List.copyOf(upstreams);
        if (vtepPort < 0 || vtepPort > 65535) {
            throw new IllegalArgumentException("VTEP port must be 0..65535: " + vtepPort);
        }
    }

    /** A builder with the LAN gossip preset, port 4789, no domain. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link MeshOptions}. */
    public static final class Builder {
        private String nodeName;
        private InetSocketAddress gossipBind;
        private InetAddress advertise;
        private final List<InetSocketAddress> seeds = new ArrayList<>();
        private final List<InetSocketAddress> upstreams = new ArrayList<>();
        private GossipConfig gossip = GossipConfig.lan().name("mesh").build();
        private Inet4Address vtepAddress;
        private int vtepPort = VXLAN_PORT;
        private String clusterDomain = "";
        private Duration syncTimeout;
        private Path stateFile;
        private boolean routingMesh = true;

        private Builder() {
        }

        /** The node's name (required). */
        public Builder nodeName(String v) {
            this.nodeName = v;
            return this;
        }

        /** Where gossip listens (required). */
        public Builder gossipBind(InetSocketAddress v) {
            this.gossipBind = v;
            return this;
        }

        /** The address announced to other members (needed with a wildcard bind). */
        public Builder gossipAdvertise(InetAddress v) {
            this.advertise = v;
            return this;
        }

        /** Adds a member to join through. */
        public Builder seed(InetSocketAddress v) {
            seeds.add(Objects.requireNonNull(v));
            return this;
        }

        /** The gossip configuration (default: the LAN preset); its name and table declarations are replaced. */
        public Builder gossip(GossipConfig v) {
            this.gossip = Objects.requireNonNull(v);
            return this;
        }

        /** The VTEP's IPv4 address (required). */
        public Builder vtepAddress(Inet4Address v) {
            this.vtepAddress = v;
            return this;
        }

        /** The VTEP's UDP port (default 4789). */
        public Builder vtepPort(int v) {
            this.vtepPort = v;
            return this;
        }

        /** The cluster's DNS domain, e.g. {@code mesh} (default none). */
        public Builder clusterDomain(String v) {
            this.clusterDomain = Objects.requireNonNull(v);
            return this;
        }

        /** How long start waits for the first state exchange (default: twice the gossip stream timeout). */
        public Builder syncTimeout(Duration v) {
            this.syncTimeout = v;
            return this;
        }

        /**
         * Where this node keeps its attachments (default none). With one, TAPs are persistent and a restarted node
         * (after {@code kill -9} too) takes up the attachments it lists; see {@link io.meshd.mesh.StateFile}.
         */
        public Builder stateFile(Path v) {
            this.stateFile = Objects.requireNonNull(v);
            return this;
        }

        /** Adds a resolver for names outside the mesh. */
        public Builder upstream(InetSocketAddress v) {
            upstreams.add(Objects.requireNonNull(v));
            return this;
        }

        /**
         * Whether this node runs the routing mesh, published ports on all its addresses (default yes; it is skipped
         * without root): turn it off where several nodes share one network namespace (tests, the demo).
         */
        public Builder routingMesh(boolean v) {
            this.routingMesh = v;
            return this;
        }

        /** The options. */
        public MeshOptions build() {
            Duration sync = syncTimeout != null ? syncTimeout : gossip.streamTimeout().multipliedBy(2);
            return new MeshOptions(nodeName, gossipBind, Optional.ofNullable(advertise), seeds, gossip, vtepAddress,
                vtepPort, clusterDomain, sync, upstreams, Optional.ofNullable(stateFile), routingMesh);
        }
    }
}
