package io.meshd.vxlan.tap;

import io.meshd.shims.InterfaceConfig;
import io.meshd.shims.NetNs;
import io.meshd.shims.Tap;
import io.meshd.shims.TapOffloads;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.vxlan.fabric.SwitchFabric;
import io.meshd.packet.Ipv4;
import io.meshd.packet.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches containers to a switch through TAP devices and detaches them again.
 *
 * <p>Attach creates the TAP directly inside the container's namespace under its final name (so no name is ever
 * taken in the host's namespace and nothing needs renaming; the descriptor works from any namespace), sets its MTU
 * and MAC, adds the address, brings it up, connects the port to the switch (a local forwarding entry for its MAC
 * and a neighbor entry for its IP, so the ARP responder answers for it) and registers its queues (non-blocking
 * descriptors) on the attacher's {@link TapPollers}, a fixed group of epoll threads that read every TAP. Detach
 * undoes all of it in reverse: each queue leaves its poller before its descriptor is closed; nothing waits for the
 * container or the kernel. {@link #close()} detaches every port still attached. Control-plane methods are synchronized.
 *
 * <p>A persistent attachment ({@link #attach(int, Attachment, boolean)}) survives its process: the TAP is made
 * persistent ({@code TUNSETPERSIST}), so when the descriptors close (a {@link #release release}, or the process
 * killed) the interface stays in the container with its address, MAC and routes, carrier off, dropping what the
 * container sends. {@link #reattach} opens it again by name with the same flags and connects it to the switch;
 * {@link #detach} still removes it.
 */
public final class TapAttacher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TapAttacher.class);
    /** The most queues a TAP may have here (the kernel allows 256; more queues than pollers only cost). */
    public static final int MAX_QUEUES = 64;

    /** What the pollers accept from the kernel with offloads on: partial checksums and TCP super-frames. */
    private static final int OFFLOADS = TapOffloads.CSUM | TapOffloads.TSO4 | TapOffloads.TSO6 | TapOffloads.TSO_ECN;

    private final SwitchFabric fabric;
    private final boolean offloads;
    private final ReadBurst burst;
    /** Queues per TAP; more than one opens the TAPs with IFF_MULTI_QUEUE. */
    private final int queues;
    /** Poller threads reading every queue; started with the first attachment, stopped by {@link #close}. */
    private final int pollerCount;
    private TapPollers pollers;
    private final AtomicInteger nextId;
    private final List<TapPort> ports = new CopyOnWriteArrayList<>();

    private TapAttacher(SwitchFabric fabric, boolean offloads, ReadBurst burst, int queues, int pollerCount) {
        if (queues < 1 || queues > MAX_QUEUES) {
            throw new IllegalArgumentException("queues must be 1.." + MAX_QUEUES + ": " + queues);
        }
        if (pollerCount < 1 || pollerCount > TapPollers.MAX_POLLERS) {
            throw new IllegalArgumentException("pollers must be 1.." + TapPollers.MAX_POLLERS + ": " + pollerCount);
        }
        this.fabric = fabric;
        this.offloads = offloads;
        this.burst = burst;
        this.queues = queues;
        this.pollerCount = pollerCount;
        this.nextId = new AtomicInteger(1);
    }

    /** An attacher for the switch, TAPs without offloads, {@link TapPollers#defaultCount()} pollers. */
    public static TapAttacher of(SwitchFabric fabric) {
        return new TapAttacher(Objects.requireNonNull(fabric), false, ReadBurst.NONE, 1, TapPollers.defaultCount());
    }

    /**
     * An attacher whose TAPs use offloads when {@code offloads} is true (virtio-net header, TSO, partial
     * checksums: far fewer reads for TCP), bracketing each read with {@code burst} (e.g. the UDP VTEP, which
     * then sends a super-frame's segments with one GSO send).
     */
    public static TapAttacher of(SwitchFabric fabric, boolean offloads, ReadBurst burst) {
        return of(fabric, offloads, burst, 1);
    }

    /**
     * As {@link #of(SwitchFabric, boolean, ReadBurst)}, with {@code queues} queues per TAP (1 to
     * {@link #MAX_QUEUES}): the kernel spreads flows over them and the queues of one TAP go to different pollers,
     * so several flows through one container use several cores.
     */
    public static TapAttacher of(SwitchFabric fabric, boolean offloads, ReadBurst burst, int queues) {
        return of(fabric, offloads, burst, queues, TapPollers.defaultCount());
    }

    /**
     * As {@link #of(SwitchFabric, boolean, ReadBurst, int)}, with {@code pollers} poller threads (1 to
     * {@link TapPollers#MAX_POLLERS}) reading every queue of every TAP.
     */
    public static TapAttacher of(SwitchFabric fabric, boolean offloads, ReadBurst burst, int queues, int pollers) {
        return new TapAttacher(Objects.requireNonNull(fabric), offloads, Objects.requireNonNull(burst), queues,
            pollers);
    }

    /** How many poller threads read the TAPs (started with the first attachment). */
    public int pollerCount() {
        return pollerCount;
    }

    /** The pollers, started on first use. */
    private TapPollers pollers() {
        if (pollers == null) {
            pollers = TapPollers.start(pollerCount);
        }
        return pollers;
    }

    /**
     * Creates and configures the interface and connects it to network {@code vni} (which must exist on the switch).
     *
     * @throws io.meshd.shims.NativeException when the kernel refuses (no such namespace, name taken, ...)
     */
    public TapPort attach(int vni, Attachment a) {
        return attach(vni, a, false);
    }

    /**
     * As {@link #attach(int, Attachment)}; with {@code persistent} the interface outlives the descriptors (see the
     * class comment).
     */
    public synchronized TapPort attach(int vni, Attachment a, boolean persistent) {
        NetNs ns = NetNs.of(a.namespace());
        List<Tap> opened = new ArrayList<>(queues);
        try {
            ns.run(() -> {
                for (int q = 0; q < queues; q++) {
                    opened.add(open(a));
                }
            });
            String name = opened.get(0).name();
            ns.run(() -> {
                InterfaceConfig.mtu(name, a.mtu());
                if (offloads) {
                    // TSO super-frames no larger than one UDP GSO send of VXLAN datagrams: a 64 KiB super-frame at
                    // MTU 1450 is 46 segments, two more than a send holds, so each would take two sends, two reads
                    // and two TAP writes on the far side.
                    InterfaceConfig.gsoMaxSegments(name, VxlanCodec.datagramsPerGsoSend(a.mtu()));
                }
                InterfaceConfig.mac(name, macBytes(a.mac()));
                InterfaceConfig.addIpv4(name, inet4(a.ipv4()), a.prefixLength());
                InterfaceConfig.up(name);
            });
            if (persistent) {
                opened.get(0).persist(true);
            }
            return connect(vni, a, opened, "attached");
        } catch (RuntimeException e) {
            closeUnpersisted(opened);
            throw e;
        } finally {
            ns.close();
        }
    }

    /**
     * Attaches again to the persistent interface of {@code a} left by an earlier attacher (of this or a previous
     * process): opens it by name inside the namespace with this attacher's flags (the virtio-net header size and
     * offloads set again), brings it up and connects it to network {@code vni}. Its address, MAC and MTU are the
     * ones it kept.
     *
     * @throws IllegalStateException when the interface is not there
     * @throws io.meshd.shims.NativeException when the namespace is gone or the kernel refuses (another process holds
     *     the TAP, or it was made with other flags)
     */
    public synchronized TapPort reattach(int vni, Attachment a) {
        NetNs ns = NetNs.of(a.namespace());
        List<Tap> opened = new ArrayList<>(queues);
        try {
            ns.run(() -> {
                // TUNSETIFF would create a missing interface: only a surviving one is taken.
                if (!InterfaceConfig.exists(a.interfaceName())) {
                    throw new IllegalStateException("interface " + a.interfaceName() + " is not in namespace "
                        + a.namespace());
                }
                for (int q = 0; q < queues; q++) {
                    opened.add(open(a));
                }
                InterfaceConfig.up(a.interfaceName());
            });
            return connect(vni, a, opened, "re-attached");
        } catch (RuntimeException e) {
            for (Tap tap : opened) {
                tap.close(); // persistence is the interface's: it stays as it was
            }
            throw e;
        } finally {
            ns.close();
        }
    }

    /** One queue of the interface, non-blocking for the pollers (in the namespace the caller entered). */
    private Tap open(Attachment a) {
        return Tap.builder().name(a.interfaceName()).vnetHeader(offloads).offloads(offloads ? OFFLOADS : 0)
            .multiQueue(queues > 1).nonBlocking(true).open();
    }

    private TapPort connect(int vni, Attachment a, List<Tap> opened, String verb) {
        TapPort port = new TapPort(nextId.getAndIncrement(), vni, a, opened, fabric, burst);
        fabric.attach(vni, port, a.mac());
        fabric.neighborTable().put(vni, a.ipv4(), a.mac());
        try {
            port.start(pollers());
        } catch (RuntimeException e) {
            fabric.detach(port);
            fabric.neighborTable().remove(vni, a.ipv4());
            throw e;
        }
        ports.add(port);
        LOG.debug("{} {} to VNI {}", verb, a, vni);
        return port;
    }

    private static void closeUnpersisted(List<Tap> opened) {
        for (Tap tap : opened) {
            try {
                tap.persist(false);
            } catch (RuntimeException e) {
                // it was never made persistent, or is gone
            }
            tap.close();
        }
    }

    /**
     * Disconnects the port from the switch and closes its descriptors, leaving a persistent interface in the
     * container (for {@link #reattach}, by this process or the next). Idempotent.
     */
    public synchronized void release(TapPort port) {
        if (!ports.remove(port)) {
            return;
        }
        port.stop();
        fabric.detach(port);
        fabric.neighborTable().remove(port.vni(), port.attachment().ipv4());
        port.closeQueues();
        LOG.debug("released {}", port.attachment());
    }

    /** Disconnects the port, removes its entries and deletes the interface. Idempotent. */
    public synchronized void detach(TapPort port) {
        if (!ports.remove(port)) {
            return;
        }
        Attachment a = port.attachment();
        port.stop();
        fabric.detach(port);
        fabric.neighborTable().remove(port.vni(), a.ipv4());
        // Out of the pollers, then closed: a non-persistent interface goes with its last descriptor; a persistent one
        // is deleted here (if the namespace is gone, so is the link).
        port.closeQueues();
        try (NetNs ns = NetNs.of(a.namespace())) {
            ns.run(() -> {
                if (InterfaceConfig.exists(a.interfaceName())) {
                    InterfaceConfig.delete(a.interfaceName());
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("namespace of {} already gone: {}", a, e.toString());
        }
        LOG.debug("detached {}", a);
    }

    /** The ports attached now. */
    public List<TapPort> ports() {
        return List.copyOf(ports);
    }

    /** Releases every port: the persistent interfaces stay in their containers. */
    public synchronized void releaseAll() {
        for (TapPort p : new ArrayList<>(ports)) {
            release(p);
        }
    }

    /** Detaches every port and stops the pollers (a later attach starts them again). */
    @Override
    public synchronized void close() {
        try {
            for (TapPort p : new ArrayList<>(ports)) {
                detach(p);
            }
        } finally {
            if (pollers != null) {
                pollers.close();
                pollers = null;
            }
        }
    }

    static byte[] macBytes(long mac) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return b;
    }

    /** The address as an {@link Inet4Address}; a dotted literal never causes a name lookup. */
    static Inet4Address inet4(int ip) {
        try {
            return (Inet4Address) InetAddress.getByName(Ipv4.format(ip));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an IPv4 literal: " + Ipv4.format(ip), e);
        }
    }

    @Override
    public String toString() {
        return "TapAttacher[" + ports.size() + " ports, first MAC " + (ports.isEmpty() ? "-"
            : MacAddress.format(ports.get(0).attachment().mac())) + "]";
    }
}
