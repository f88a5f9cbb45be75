package io.meshd;

import io.meshd.gossip.Member;
import io.meshd.mesh.AddressBlocks;
import io.meshd.mesh.Components;
import io.meshd.mesh.LocalAttachments;
import io.meshd.mesh.MeshModel;
import io.meshd.mesh.MeshTable;
import io.meshd.mesh.SavedAttachments;
import io.meshd.mesh.VniClaims;
import io.meshd.mesh.codec.EndpointKey;
import io.meshd.mesh.codec.EndpointValue;
import io.meshd.mesh.codec.Names;
import io.meshd.mesh.codec.NetworkValue;
import io.meshd.mesh.codec.NodeValue;
import io.meshd.mesh.codec.ServiceValue;
import io.meshd.mesh.codec.Subnets;
import io.meshd.net.metrics.EnumCounters;
import io.meshd.vxlan.tap.Attachment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One node of the mesh, for an orchestrator on the JVM: networks, attachments, services and members, kept in
 * gossip and driving this node's overlay switch, VIP load balancer and DNS responders. Every node runs one; each
 * node's data plane follows the tables, whoever wrote them. Methods may be called from any thread (they are
 * serialised); a {@link MeshListener} may read ({@link #networks()}, ...) but must not change anything.
 *
 * <pre>{@code
 * try (Mesh mesh = Mesh.start(MeshOptions.builder().nodeName("n1").gossipBind(bind).seed(other)
 *         .vtepAddress(local).build())) {
 *     mesh.createNetwork("front", "10.0.9.0/24", OptionalInt.empty());
 *     mesh.attach(Mesh.attachment("front", "c1").ip(ip).name("web.1").service("web"));
 *     mesh.createService("web", "front", vip, ServiceValue.Mode.VIP, List.of(new ServiceValue.Port(80, 80, 6)));
 * }
 * }</pre>
 */
public final class Mesh implements AutoCloseable {
    /** The first VNI handed out automatically (below it: left to explicit choice). */
    public static final int FIRST_AUTOMATIC_VNI = VniClaims.FIRST;

    /** Time allowed beyond the settle time for this node's address block, on a loaded machine. */
    private static final Duration BLOCK_ALLOWANCE = Duration.ofSeconds(5);

    private final MeshOptions options;
    private final Components parts;
    private final LocalAttachments locals;
    private final AddressBlocks blocks;
    private final VniClaims vnis;
    /** The inode of this node's own network namespace (where it started), never attached; -1 if unknown. */
    private final long selfNamespace;
    private boolean closed;

    private Mesh(MeshOptions options, Components parts) {
        this.options = options;
        this.parts = parts;
        this.locals = new LocalAttachments(parts.vtep(), parts.dns(), parts.records(), SavedAttachments.of(options));
        this.blocks = new AddressBlocks(parts.gossip(), options.gossip());
        this.vnis = new VniClaims(parts.gossip(), options.gossip());
        this.selfNamespace = Requests.currentNamespace();
        // Claim an address block of every network ahead of need: those learnt from now on, then those known.
        parts.loop().addListener(e -> {
            if (e.kind() == MeshEvent.Kind.NETWORK) {
                claimBlock(e.name());
                if (!e.present()) {
                    vnis.release(e.name()); // removed anywhere: the claims go, also those this node holds
                }
            }
        });
        parts.loop().call(() -> {
            parts.loop().model().networks().keySet().forEach(this::claimBlock);
            return null;
        });
        parts.published().start(this); // the routing mesh: published ports on this node (PublishedPorts)
    }

    /** On the mesh thread. */
    private void claimBlock(String network) {
        NetworkValue v = parts.loop().model().networks().get(network);
        if (v == null) {
            blocks.release(network);
        } else {
            blocks.claim(network, v);
        }
    }

    /**
     * Starts a node: VTEP, DNS responder and gossip (joining the seeds), waits up to the options' sync timeout for
     * the first full state exchange (a node alone goes on when it runs out), then reconciles its own entries: its
     * node record is written and its endpoints become exactly the attachments its state file lists, taken up again.
     *
     * @throws InterruptedException if interrupted while starting
     */
    public static Mesh start(MeshOptions options) throws InterruptedException {
        Components parts = Components.start(options);
        Mesh mesh = null;
        try {
            parts.gossip().awaitInitialSync(options.syncTimeout());
            NodeValue self = new NodeValue(options.vtepAddress(), parts.vtep().vtep().port());
            parts.gossip().reconcile(MeshTable.NODES.table(), Map.of(options.nodeName(), self.encode()));
            mesh = new Mesh(options, parts);
            parts.gossip().reconcile(MeshTable.ENDPOINTS.table(), mesh.locals.recover());
            return mesh;
        } catch (RuntimeException | InterruptedException e) {
            if (mesh != null) {
                mesh.locals.close(true); // what was taken up stays for the next start
            }
            parts.close(Duration.ZERO);
            throw e;
        }
    }

    /** Starts describing an attachment of {@code namespace} (a name as {@code ip netns} made it, or its path). */
    public static AttachSpec attachment(String network, String namespace) {
        return new AttachSpec(network, namespace);
    }

    /** This node's name. */
    public String name() {
        return options.nodeName();
    }

    /** Where this node's gossip listens. */
    public InetSocketAddress gossipAddress() {
        return parts.gossipAddress();
    }

    /** Adds a listener of every change; it runs on the mesh thread and must not block. */
    public void addListener(MeshListener l) {
        parts.loop().addListener(Objects.requireNonNull(l));
    }

    /** Creates a network with a subnet: {@code createNetwork(name, Optional.of(cidr), vni)}. */
    public NetworkValue createNetwork(String name, String cidr, OptionalInt vni) throws InterruptedException {
        return createNetwork(name, Optional.of(cidr), vni);
    }

    /**
     * Creates a network for the whole cluster.
     *
     * @param cidr its subnet, e.g. {@code 10.0.9.0/24}; empty for an automatic one, chosen once the VNI is:
     *     {@code 10.(vni >> 8 & 0xff).(vni & 0xff).0/24}, or the next /24 of 10.0.0.0/8 up that overlaps no
     *     network's subnet when that one does (docs/mesh.md, "Automatic subnets")
     * @param vni its VNI, or empty for an automatic one from {@value #FIRST_AUTOMATIC_VNI} ({@link VniClaims}: this
     *     waits until the claim has settled, {@code BlockAllocator.settleTime}, about 71 s with the LAN preset)
     * @throws MeshRequestException for a bad name or subnet (INVALID), a name or VNI taken, an overlapping subnet
     *     (CONFLICT)
     * @throws InterruptedException if interrupted while an automatic VNI settles
     */
    public NetworkValue createNetwork(String name, Optional<String> cidr, OptionalInt vni)
        throws InterruptedException {
        Names.check(name, "network name");
        if (VniClaims.POOL.equals(name)) {
            throw MeshRequestException.invalid("network name '" + name + "' is reserved (the VNI claims' pool)");
        }
        InetAddress subnet = cidr.map(Requests::cidrAddress).orElse(null);
        int prefix = cidr.map(Requests::cidrPrefix).orElse(Requests.AUTOMATIC_PREFIX);
        // shape checks before any claim
        Requests.shape(() -> new NetworkValue(subnet == null ? Requests.automaticSubnet(new MeshModel(), 0) : subnet,
            prefix, vni.orElse(VniClaims.FIRST), Map.of()));
        synchronized (this) {
            open();
            parts.loop().call(() -> {
                Requests.checkNewNetwork(parts.loop().model(), name, subnet, prefix, vni);
                return null;
            });
        }
        // Not under the lock: an automatic VNI takes the settle time.
        int chosen = vni.isPresent() ? vni.getAsInt() : vnis.automatic(name, BLOCK_ALLOWANCE);
        synchronized (this) {
            open();
            NetworkValue v = parts.loop().call(() -> {
                MeshModel m = parts.loop().model();
                InetAddress s = subnet != null ? subnet : Requests.automaticSubnet(m, chosen);
                Requests.checkNewNetwork(m, name, s, prefix, OptionalInt.of(chosen));
                return new NetworkValue(s, prefix, chosen, Map.of());
            });
            if (vni.isPresent()) {
                vnis.explicit(name, chosen);
            }
            parts.gossip().put(MeshTable.NETWORKS.table(), name, v.encode());
            return v;
        }
    }

    /** Removes a network for the whole cluster; returns whether it existed. CONFLICT while endpoints are attached. */
    public synchronized boolean removeNetwork(String name) {
        open();
        boolean exists = parts.loop().call(() -> Requests.checkRemoveNetwork(parts.loop().model(), name));
        if (!exists) {
            return false;
        }
        parts.gossip().delete(MeshTable.NETWORKS.table(), name);
        vnis.release(name);
        return true;
    }

    /**
     * Attaches a namespace to a network: a TAP inside it with the given address (or one of this node's address
     * block, waiting for the block to settle, see {@link AddressBlocks}; MAC derived from the address), the DNS
     * responder at 127.0.0.11:53 in it scoped to its networks, and the endpoint in gossip for every node.
     *
     * <p>The namespace: a name ({@code ip netns add}), {@code /var/run/netns/NAME}, or the path of any network
     * namespace file such as {@code /proc/PID/ns/net} (then the endpoint's name must be given; the node holds the
     * namespace open until detach, so it outlives the process meanwhile; detach by the same path).
     *
     * @throws MeshRequestException NOT_FOUND for an unknown network or namespace; INVALID for an address outside
     *     the subnet, a file that is not a network namespace, this node's own namespace, a path without an endpoint
     *     name; CONFLICT for an address or name taken, a namespace attached to the network already (under this or
     *     another name), no automatic address to be had
     * @throws InterruptedException if interrupted while the DNS listeners are bound
     */
    public synchronized EndpointValue attach(AttachSpec spec) throws InterruptedException {
        open();
        String ns = Requests.namespaceName(spec.namespace());
        EndpointKey key = new EndpointKey(spec.network(), spec.name());
        parts.published().checkEndpointName(spec.name(), ns); // reserved for the ingress namespace
        if (locals.attached(ns, spec.network())) {
            throw MeshRequestException.conflict("namespace '" + ns + "' is attached to '" + spec.network()
                + "' already");
        }
        parts.loop().call(() -> Requests.network(parts.loop().model(), spec.network()));
        Requests.checkNamespace(locals, ns, selfNamespace);
        InetAddress ip = spec.ip();
        if (ip == null) {
            Set<InetAddress> used = parts.loop().call(() -> Requests.used(parts.loop().model(), spec.network()));
            try {
                ip = blocks.address(spec.network(), used, BLOCK_ALLOWANCE);
            } catch (IllegalStateException e) {
                throw MeshRequestException.conflict("no automatic address on '" + spec.network() + "': "
                    + e.getMessage() + " (give one)");
            }
        }
        InetAddress chosen = ip;
        NetworkValue net = parts.loop().call(() -> Requests.checkAttach(parts.loop().model(), key, chosen));
        Attachment a = Requests.shape(() -> Attachment.builder().namespace(ns).interfaceName(locals.nextInterface(ns))
            .ipv4(Subnets.ipv4(chosen), net.prefixLength()).build());
        EndpointValue v = Requests.shape(() -> new EndpointValue(chosen, a.mac(), name(), spec.service(),
            spec.aliases()));
        locals.attach(key, net.vni(), a, v);
        try {
            Requests.put(parts.gossip(), MeshTable.ENDPOINTS, key.key(), v.encode());
        } catch (RuntimeException e) {
            locals.detach(ns, spec.network());
            throw e;
        }
        return v;
    }

    /**
     * Detaches a namespace from a network: its interface, its DNS responder (when it was the last network) and
     * its endpoint everywhere; returns whether it was attached.
     */
    public synchronized boolean detach(String network, String namespace) {
        open();
        LocalAttachments.Local l = locals.detach(Requests.namespaceName(namespace), network);
        if (l == null) {
            return false;
        }
        parts.gossip().delete(MeshTable.ENDPOINTS.table(), l.key().key());
        return true;
    }

    /**
     * Creates a service on one network. Its backends are the endpoints attached with this service.
     *
     * @param vip its VIP (mode vip, inside the network's subnet and no endpoint's), null in mode dnsrr
     * @throws MeshRequestException NOT_FOUND for an unknown network; INVALID for a bad VIP, a mode without or with a
     *     VIP, too large an entry; CONFLICT for a name or VIP taken
     */
    public synchronized ServiceValue createService(String name, String network, InetAddress vip,
        ServiceValue.Mode mode, List<ServiceValue.Port> ports) {
        open();
        Names.check(name, "service name");
        ServiceValue v = Requests.shape(() -> new ServiceValue(mode, List.of(new ServiceValue.NetworkVip(network, vip)),
            ports));
        parts.loop().call(() -> {
            Requests.checkService(parts.loop().model(), name, network, vip, ports);
            return null;
        });
        Requests.put(parts.gossip(), MeshTable.SERVICES, name, v.encode());
        return v;
    }

    /** Removes a service; returns whether it existed. */
    public synchronized boolean removeService(String name) {
        open();
        return parts.gossip().delete(MeshTable.SERVICES.table(), name);
    }

    /**
     * Sets backend weights of a service (merged into those it has), 0 (drained: no new flows, pinned flows keep
     * going) to {@link ServiceValue#MAX_WEIGHT}, 1 (the default) clearing the name; at most
     * {@link ServiceValue#MAX_WEIGHTS} names. Two nodes setting weights of one service at once: the last write wins.
     *
     * @param weights by the name of an endpoint attached as a task of the service (or carrying a weight already)
     * @return the service as written
     * @throws MeshRequestException NOT_FOUND for an unknown service; INVALID for a weight out of range, an endpoint
     *     that is not a task of the service, too many weights
     */
    public synchronized ServiceValue setWeights(String service, Map<String, Integer> weights) {
        open();
        ServiceValue v = parts.loop().call(() -> Requests.weighted(parts.loop().model(), service, weights));
        Requests.put(parts.gossip(), MeshTable.SERVICES, service, v.encode());
        return v;
    }

    /**
     * A service's backends: every endpoint attached as its task on one of its networks (of any node, alive or not),
     * with its weight and health, by network then endpoint name.
     *
     * @throws MeshRequestException NOT_FOUND for an unknown service
     */
    public List<Backend> backends(String service) {
        return parts.loop().call(() -> Requests.backends(parts.loop().model(), service));
    }

    /** This node's attachments, in attach order per namespace. */
    public synchronized List<LocalAttachment> attachments() {
        return locals.views();
    }

    /** Every gossip member, this one included. */
    public List<Member> members() {
        return parts.gossip().members();
    }

    /** The networks by name. */
    public Map<String, NetworkValue> networks() {
        return parts.loop().call(() -> new LinkedHashMap<>(parts.loop().model().networks()));
    }

    /** The services by name. */
    public Map<String, ServiceValue> services() {
        return parts.loop().call(() -> new LinkedHashMap<>(parts.loop().model().services()));
    }

    /** The endpoints of live nodes, by key. */
    public Map<EndpointKey, EndpointValue> endpoints() {
        return parts.loop().call(() -> Requests.visibleEndpoints(parts.loop().model()));
    }

    /** Table values from the wire that did not follow the schema and were ignored, by table. */
    public EnumCounters<MeshTable> refusedValues() {
        return parts.loop().model().refused();
    }

    /** What the start took up from the state file. */
    public SavedAttachments.Report recovery() {
        return locals.recovery();
    }

    /** The running parts, for metrics and tests. */
    public Components parts() {
        return parts;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("mesh node " + name() + " is closed");
        }
    }

    /** Withdraws this node's endpoints, detaches everything, leaves the cluster gracefully and stops. */
    @Override
    public void close() {
        close(MeshShutdown.DETACH);
    }

    /** As {@link #close()}, the attachments detached or kept for the next start ({@link MeshShutdown}). */
    public void close(MeshShutdown mode) {
        parts.published().close(); // first, unlocked: its worker may be attaching (under the lock); never kept
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (mode == MeshShutdown.DETACH) { // withdrawn before the leave: the others delete them, not hide them
                try {
                    locals.all().forEach(l -> parts.gossip().delete(MeshTable.ENDPOINTS.table(), l.key().key()));
                } catch (RuntimeException gossipStopped) { // a crashed node's close still removes its interfaces
                    parts.gossip().shutdown();
                }
            }
            locals.close(mode == MeshShutdown.KEEP_ATTACHMENTS);
            parts.close(Duration.ofSeconds(2));
        }
    }
}
