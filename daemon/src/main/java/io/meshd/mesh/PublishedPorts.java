package io.meshd.mesh;

import io.meshd.LocalAttachment;
import io.meshd.Mesh;
import io.meshd.MeshRequestException;
import io.meshd.lb.ServiceKey;
import io.meshd.lb.proxy.L4Proxy;
import io.meshd.lb.proxy.ProxyBackend;
import io.meshd.net.IoTransport;
import io.meshd.net.SocketAddresses;
import io.meshd.net.metrics.ThrottledLog;
import io.meshd.shims.HostRequirements;
import io.meshd.shims.NamedNamespaces;
import io.meshd.shims.NetNs;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The routing mesh of one {@link Mesh} node: every published port of every service answers on this node, on all its
 * addresses ({@code 0.0.0.0:published}, TCP or UDP, in the namespace the node was started in), and forwards each
 * client over the overlay to one of the service's live backends, whichever node it is on, as Docker Swarm's ingress
 * does.
 *
 * <p>Each port is an {@link L4Proxy} (Maglev on the client's address and port, so every node sends one client to the
 * same backend). Its listening socket is made in the node's namespace; the event loops all ports share (one per
 * core) live in this node's <b>ingress namespace</b> ({@code meshd-in-<node>}, created when the first port is
 * published, deleted with the last), so connections towards backends leave through the overlay. The ingress
 * namespace is attached to every network that has a published service, as an ordinary endpoint of the table
 * (through {@link Mesh#attach}): named
 * {@value #ENDPOINT_PREFIX}{@code <node>}, with no service (so never a backend) and an address of this node's
 * address block; names with that prefix are reserved, left out of DNS, and not counted when a network is removed.
 * Being in the endpoints table is what lets the other nodes forward replies to it (their flood lists, forwarding
 * entries and ARP answers come from that table).
 *
 * <p>The mesh thread hands each new set of published ports to {@link #offer}; one worker thread of its own (started
 * in the node's namespace) applies the latest: the ingress attachments first (which may wait for this node's address
 * block to settle), then a proxy per port (binding is quick) or a new backend set for a running one
 * ({@link io.meshd.lb.proxy.BackendPool#replace}, built off the event loops). A port that cannot be bound (taken on
 * this node) is counted ({@link #bindFailures}), logged once until it binds, and retried every 10 s and at every
 * change; so is a failed attach of the ingress namespace ({@link #ingressFailures}). It needs
 * root, {@code /dev/net/tun} and {@code ip} (namespaces); without them it does nothing but log one line saying so.
 */
public final class PublishedPorts implements AutoCloseable {
    /** The prefix of the ingress endpoints' names, reserved for them. */
    public static final String ENDPOINT_PREFIX = "_ingress-";

    private static final Logger LOG = LoggerFactory.getLogger(PublishedPorts.class);
    private static final int MAX_NAME = 64;
    /** How soon a failed bind or attach is tried again when nothing changes meanwhile. */
    private static final long RETRY_SECONDS = 10;

    private final String node;
    private final String namespace;
    private final IoTransport transport;
    private final Optional<String> unavailable;
    private final ThrottledLog throttled = ThrottledLog.of(LOG);
    private final AtomicReference<Map<ServiceKey, Published>> wanted = new AtomicReference<>(Map.of());
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicBoolean skipLogged = new AtomicBoolean();
    private final AtomicLong bindFailures = new AtomicLong();
    private final AtomicLong ingressFailures = new AtomicLong();
    private final Map<ServiceKey, L4Proxy> proxies = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private volatile ScheduledExecutorService worker;
    private volatile boolean retryQueued;
    private volatile Mesh mesh;
    private NetNs home;
    // the worker's state (the worker thread only, and close() once it has stopped)
    private NetNs ingress;
    private EventLoopGroup loops; // of every port's proxy, their threads in the ingress namespace
    private final Set<String> attached = new TreeSet<>();
    private final Set<ServiceKey> failing = new HashSet<>();
    /** The namespace exists with attachments this object did not make (adopted): open it, do not recreate it. */
    private boolean recovered;

    /**
     * The routing mesh of node {@code node}; idle until {@link #start}.
     *
     * @param node the node's name
     * @param transport the proxies' I/O transport
     * @param enabled false to turn the routing mesh off (nodes sharing one namespace)
     */
    public PublishedPorts(String node, IoTransport transport, boolean enabled) {
        this.node = node;
        this.namespace = "meshd-in-" + node;
        this.transport = transport;
        this.unavailable = enabled ? HostRequirements.missing() : Optional.of("turned off in the node's options");
    }

    /** The ingress endpoint's name for {@code node}: the prefix and the node's name, shortened with a hash to fit. */
    public static String endpointName(String node) {
        String name = ENDPOINT_PREFIX + node;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = String.format("%08x", node.hashCode());
        return name.substring(0, MAX_NAME - hash.length() - 1) + "-" + hash;
    }

    /** Whether {@code endpoint} is an ingress endpoint's (reserved) name. */
    public static boolean isIngress(String endpoint) {
        return endpoint.startsWith(ENDPOINT_PREFIX);
    }

    /**
     * Refuses a reserved endpoint name unless {@code namespace} is this node's ingress namespace.
     *
     * @throws MeshRequestException INVALID for a reserved name
     */
    public void checkEndpointName(String endpoint, String namespace) {
        if (isIngress(endpoint) && !namespace.equals(this.namespace)) {
            throw new MeshRequestException(MeshRequestException.Kind.INVALID, "endpoint names starting with '"
                + ENDPOINT_PREFIX + "' are reserved for the routing mesh");
        }
    }

    /** This node's ingress namespace's name. */
    public String namespace() {
        return namespace;
    }

    /**
     * Starts applying what was offered, attaching the ingress namespace through {@code mesh}. Call it on a thread in
     * the node's namespace: the ports listen in the namespace of the calling thread.
     */
    public void start(Mesh mesh) {
        this.mesh = mesh;
        if (unavailable.isPresent()) {
            return;
        }
        home = NetNs.current();
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = home.threadFactory().newThread(r);
            t.setName("meshd-ingress-" + node);
            return t;
        });
        schedule();
    }

    /** The mesh thread's new set of published ports: applied soon, off the mesh thread. */
    public void offer(Map<ServiceKey, Published> ports) {
        wanted.set(Map.copyOf(ports));
        if (unavailable.isPresent()) {
            if (!ports.isEmpty() && skipLogged.compareAndSet(false, true)) {
                LOG.atInfo().addKeyValue("node", node).addKeyValue("reason", unavailable.get())
                    .log("routing mesh skipped: published ports do not answer on this node");
            }
            return;
        }
        schedule();
    }

    private void schedule() {
        ScheduledExecutorService w = worker;
        if (w != null && !closing && queued.compareAndSet(false, true)) {
            try {
                w.execute(this::apply);
            } catch (RejectedExecutionException shutDown) {
                queued.set(false);
            }
        }
    }

    /** The ports listening now (keys: address 0, port, protocol). */
    public Set<ServiceKey> listening() {
        return Set.copyOf(proxies.keySet());
    }

    /** The proxy of a listening port, for tests and metrics. */
    public Optional<L4Proxy> proxy(ServiceKey key) {
        return Optional.ofNullable(proxies.get(key));
    }

    /** How many times binding a published port failed (port taken on this node). */
    public long bindFailures() {
        return bindFailures.get();
    }

    /** How many times attaching the ingress namespace to a network failed. */
    public long ingressFailures() {
        return ingressFailures.get();
    }

    /** Why the routing mesh cannot run here, if it cannot. */
    public Optional<String> unavailable() {
        return unavailable;
    }

    private void apply() {
        queued.set(false);
        if (closing) {
            return;
        }
        try {
            applyLatest();
        } catch (RuntimeException | LinkageError e) { // a scheduled executor would swallow it silently
            throttled.warn("routing mesh: update failed (retried)", e);
            retryLater();
        }
    }

    /** After a failure: tries again in {@link #RETRY_SECONDS} s, unless a change comes first. */
    private void retryLater() {
        ScheduledExecutorService w = worker;
        if (w != null && !closing && !retryQueued) {
            retryQueued = true;
            try {
                w.schedule(() -> {
                    retryQueued = false;
                    schedule();
                }, RETRY_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException shutDown) {
                retryQueued = false;
            }
        }
    }

    private void applyLatest() {
        for (LocalAttachment a : mesh.attachments()) { // attached already (recovered after a restart): adopted
            if (a.namespace().equals(namespace) && attached.add(a.network())) {
                recovered = true;
            }
        }
        Map<ServiceKey, Published> want = wanted.get();
        Set<String> networks = new TreeSet<>();
        want.values().forEach(p -> networks.addAll(p.networks()));
        for (ServiceKey key : new ArrayList<>(proxies.keySet())) {
            if (!want.containsKey(key)) {
                proxies.remove(key).close();
                port(LOG.atInfo(), key).log("published port closed");
            }
        }
        failing.retainAll(want.keySet());
        for (String n : new ArrayList<>(attached)) {
            if (!networks.contains(n)) {
                detach(n);
            }
        }
        if (networks.isEmpty()) {
            deleteNamespace();
            return;
        }
        try {
            attach(networks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (ingress == null) {
            return;
        }
        for (Map.Entry<ServiceKey, Published> e : want.entrySet()) {
            List<ProxyBackend> backends = e.getValue().proxyBackends();
            L4Proxy running = proxies.get(e.getKey());
            if (running != null) {
                running.backends().replace(backends);
            } else {
                listen(e.getKey(), backends);
            }
        }
    }

    private void attach(Set<String> networks) throws InterruptedException {
        if (ingress == null) {
            try {
                if (!recovered) {
                    NamedNamespaces.delete(namespace); // left behind by a previous run of this node killed hard
                }
                ingress = recovered ? NetNs.named(namespace) : NamedNamespaces.create(namespace);
                // one loop per core for all ports: a thread per port cost ~110 KB each, 100 ports were 11 MB
                loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                    ingress.threadFactory(), transport.resolve().ioHandlerFactory());
            } catch (RuntimeException e) {
                ingressFailures.incrementAndGet();
                throttled.warn("routing mesh: cannot create the ingress namespace " + namespace + " (retried)", e);
                retryLater();
                return;
            }
        }
        for (String n : networks) {
            if (attached.contains(n)) {
                continue;
            }
            try {
                mesh.attach(Mesh.attachment(n, namespace).name(endpointName(node)));
                attached.add(n);
            } catch (RuntimeException e) {
                ingressFailures.incrementAndGet();
                throttled.warn("routing mesh: cannot attach the ingress namespace to network '" + n + "' (retried)", e);
                retryLater();
            }
        }
    }

    private void detach(String network) {
        attached.remove(network);
        try {
            mesh.detach(network, namespace);
        } catch (RejectedExecutionException crashed) { // gossip stopped: the interface is gone all the same
            LOG.atDebug().addKeyValue("node", node).log("routing mesh: ingress endpoint left: gossip stopped");
        } catch (RuntimeException e) {
            throttled.warn("routing mesh: detaching the ingress namespace from network '" + network + "' failed", e);
        }
    }

    private void listen(ServiceKey key, List<ProxyBackend> backends) {
        L4Proxy.Builder b = L4Proxy.builder().listen(SocketAddresses.parse("0.0.0.0:" + key.port()))
            .protocol(key.protocol()).transport(transport).allowNoBackends(true).tableSizeByBackends().group(loops);
        backends.forEach(b::backend);
        try {
            proxies.put(key, b.start());
            failing.remove(key);
            port(LOG.atInfo(), key).addKeyValue("backends", backends.size()).log("published port listening");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) { // Netty rethrows the bind's checked exception as it is
            bindFailures.incrementAndGet();
            if (failing.add(key)) {
                port(LOG.atWarn(), key).addKeyValue("error", e.toString())
                    .log("published port not bound: retried every " + RETRY_SECONDS + " s and at every change");
            }
            retryLater();
        }
    }

    private LoggingEventBuilder port(LoggingEventBuilder b, ServiceKey key) {
        return b.addKeyValue("node", node).addKeyValue("port", key.port())
            .addKeyValue("protocol", key.protocol().toString());
    }

    private void deleteNamespace() {
        if (ingress == null && !recovered) {
            return;
        }
        if (loops != null) { // every proxy is closed: no port is wanted
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        loops = null;
        if (ingress != null) {
            ingress.close();
        }
        ingress = null;
        recovered = false;
        try {
            NamedNamespaces.delete(namespace);
        } catch (RuntimeException e) {
            throttled.warn("routing mesh: cannot delete the ingress namespace " + namespace, e);
        }
    }

    /**
     * Stops the worker (interrupting an attach that waits for an address block), then closes the proxies, detaches
     * the ingress namespace and deletes it. Call it before the node closes, not holding the facade's lock.
     */
    @Override
    public void close() {
        closing = true;
        ScheduledExecutorService w = worker;
        if (w == null) {
            return;
        }
        w.shutdownNow();
        try {
            if (!w.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.atWarn().addKeyValue("node", node).log("routing mesh worker did not stop in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (L4Proxy p : proxies.values()) {
            p.close();
        }
        proxies.clear();
        for (String n : new ArrayList<>(attached)) {
            detach(n);
        }
        deleteNamespace();
        home.close();
    }
}
