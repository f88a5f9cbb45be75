package io.meshd.vxlan.vtep;

import io.meshd.shims.NetNs;
import io.meshd.net.IoTransport;
import io.meshd.packet.FlowHash;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.vxlan.codec.VxlanHeader;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.SegmentedFrame;
import io.meshd.vxlan.fabric.Uplink;
import io.meshd.vxlan.tap.ReadBurst;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VXLAN tunnel endpoint on Netty UDP: the {@link Uplink} of a switch.
 *
 * <p><b>Receive</b>: {@link Builder#receiveSockets(int)} sockets bound to {@code local:port} (several share the
 * port with {@code SO_REUSEPORT} on epoll and io_uring, one event-loop thread each); each datagram's payload is
 * handed in place (no copy) to the {@link UplinkReceiver} on that event loop, which decapsulates it.
 *
 * <p><b>Send</b>: the outer source port is {@link FlowHash#sourcePort} of the inner frame scaled into
 * {@link Builder#sourcePorts(PortRange)}, like Linux's {@code udp_flow_src_port}. The VTEP binds one socket per
 * port of that (small) range and sends each frame from the socket whose port the hash chose, so the kernel fills
 * the outer headers and computes the outer UDP checksum. Sends go straight to the socket's descriptor on the
 * calling thread (a TAP poller), with no hand-off to the event loop: the frame is copied once behind a VXLAN
 * header in a per-thread direct buffer. A full socket buffer drops the datagram and counts it.
 *
 * <p><b>Batching</b>: as a {@link ReadBurst}, the VTEP lets a TAP poller bracket the frames of one poll. Inside a
 * burst, datagrams of full-size frames ({@link Builder#gsoFrameBytes(int)}) for the same source port and peer are
 * gathered and sent with one {@code sendto} on the port's GSO twin socket (same port, {@code SO_REUSEPORT}, sticky
 * {@code UDP_SEGMENT}); the kernel cuts them into datagrams again. Shorter datagrams for the same source port are
 * gathered whole and sent with one {@code sendmmsg} on the port's plain socket. Everything else goes through the
 * plain socket of the port, after whatever was gathered, so a flow keeps its order. epoll and io_uring only.
 *
 * <p>Sockets are created in the namespace given to {@link Builder#namespace(NetNs)}, else in the caller's.
 * Thread safety: {@link #send} may be called from any number of threads at once.
 *
 * <p>Inside, {@code VtepSockets} opens and binds the sockets and event loops, {@code VtepSender} is the send path
 * and its batching, and {@code SendBuffer} the per-thread datagram or GSO batch it fills.
 */
public final class UdpVtep implements Uplink, ReadBurst, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpVtep.class);

    private final Inet4Address local;
    private final int port;
    private final IoTransport transport;
    /** The most {@link Builder#busyPollMicros(int)} allows: beyond a millisecond a loop is simply a busy core. */
    public static final int MAX_BUSY_POLL_MICROS = 1000;

    private final VtepSockets.SocketPlan plan;
    private final VtepCounters counters = new VtepCounters();
    private final VtepSockets sockets;
    private final SpinPolling spin;
    private final int busyPollMicros;
    private final VtepSender sender = new VtepSender(counters);

    private UdpVtep(Builder b) {
        this.local = Objects.requireNonNull(b.local, "local address");
        this.port = b.port;
        this.transport = b.transport.resolve();
        // NIO has no SO_REUSEPORT, and ephemeral ports cannot be shared: one receive socket then.
        int receiveSockets = transport == IoTransport.NIO || b.port == 0 ? 1 : b.receiveSockets;
        int gsoSegmentBytes = b.gsoFrameBytes == 0 ? 0 : VxlanHeader.LENGTH + b.gsoFrameBytes;
        this.plan = new VtepSockets.SocketPlan(b.port, receiveSockets, b.sourcePortLow, b.sourcePoolSize,
            gsoSegmentBytes);
        boolean gro = b.gro && transport == IoTransport.EPOLL;
        this.spin = new SpinPolling(b.busyPollMicros);
        this.busyPollMicros = b.busyPollMicros;
        this.sockets = new VtepSockets(local, transport, b.bufferBytes, gro, b.namespace, counters, spin);
    }

    /** A builder; {@link Builder#local(Inet4Address)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens and binds every socket and starts handing received datagrams to {@code receiver} (normally
     * {@code SwitchFabric::fromVxlan}, which decodes them and counts the bad ones in the switch's drop counters).
     *
     * @throws UncheckedIOException when a socket cannot be bound (e.g. the address is not local, the port in use)
     */
    public UdpVtep start(UplinkReceiver receiver) {
        return start(receiver, ReadBurst.NONE);
    }

    /**
     * Like {@link #start(UplinkReceiver)}, bracketing what each event-loop read delivers with
     * {@code receiveBurst} (e.g. {@link io.meshd.vxlan.tap.TapPort#receiveBurst()}, which coalesces TCP segments
     * into super-frames for the TAPs).
     */
    public synchronized UdpVtep start(UplinkReceiver receiver, ReadBurst receiveBurst) {
        if (sockets.isOpen()) {
            throw new IllegalStateException("already started");
        }
        sockets.open(plan, Objects.requireNonNull(receiver), Objects.requireNonNull(receiveBurst));
        sender.use(sockets.senders(), sockets.gsoTwins());
        LOG.debug("VTEP on {}:{} with {} ({} receive sockets, source ports {})", local.getHostAddress(), port,
            transport, plan.receiveSockets, boundSourcePorts());
        return this;
    }

    /**
     * Encapsulates the frame for network {@code vni} and sends it to {@code to}. Never throws for I/O failures.
     * Inside a {@link #begin()}/{@link #end()} burst on a socket with UDP GSO, datagrams of the GSO size for the
     * same socket and peer are gathered behind each other and sent with one syscall.
     */
    @Override
    public void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
        sender.send(vni, to, frame, offset, length);
    }

    /**
     * Sends every segment of a super-frame like {@link #send}, hashing its flow once and building each segment
     * straight into this thread's send buffer. On epoll and io_uring only the headers are written there: each
     * segment's payload is sent from where it lies (the TAP's read buffer) by gathering pieces with
     * {@code sendmsg}, so user space reads the payload once (for its checksum) and never copies it.
     */
    @Override
    public void sendSegments(int vni, RemoteVtep to, SegmentedFrame frame, MutableDirectBuffer scratch) {
        sender.sendSegments(vni, to, frame);
    }

    /** Starts holding back datagrams sent on this thread (a TAP poller, before switching the reads of a poll). */
    @Override
    public void begin() {
        sender.begin();
    }

    /** Sends what this thread holds back and stops holding back. */
    @Override
    public void end() {
        sender.end();
    }

    /** Whether this thread holds back datagrams (never after {@link #end()}). */
    @Override
    public boolean pending() {
        return sender.pending();
    }

    /** The transport actually in use (never {@link IoTransport#AUTO}). */
    public IoTransport transport() {
        return transport;
    }

    /** The UDP port the VTEP receives on (the bound one when 0 was asked). */
    public int port() {
        int bound = sockets.boundPort();
        return bound == 0 ? port : bound;
    }

    /** The local (underlay) address. */
    public Inet4Address local() {
        return local;
    }

    /** The outer source ports actually bound, in pool order (empty before start). */
    public synchronized List<Integer> boundSourcePorts() {
        return sockets.boundSourcePorts();
    }

    /**
     * How long the receive loops poll after I/O before they block, in microseconds: what
     * {@link Builder#busyPollMicros(int)} asked for on epoll, 0 on other transports (they do not spin).
     */
    public int busyPollMicros() {
        return spin.enabled() && transport == IoTransport.EPOLL ? busyPollMicros : 0;
    }

    /** The receive loops' spin-then-park (for tests). */
    SpinPolling spinPolling() {
        return spin;
    }

    /** Datagram and byte counters. */
    public VtepCounters counters() {
        return counters;
    }

    /** Closes every socket and stops the event loops. Idempotent. */
    @Override
    public synchronized void close() {
        sender.stop();
        sockets.close();
    }

    @Override
    public String toString() {
        return "UdpVtep[" + local.getHostAddress() + ":" + port + ", " + transport + "]";
    }

    /** Options of a {@link UdpVtep}. */
    public static final class Builder {
        private Inet4Address local;
        private int port = 4789;
        private int sourcePortLow = 61000;
        private int sourcePoolSize = 8;
        private IoTransport transport = IoTransport.AUTO;
        private int receiveSockets = 1;
        private int bufferBytes = 32 << 20;
        private boolean gro = true;
        private int gsoFrameBytes = 14 + 1450;
        private Optional<NetNs> namespace = Optional.empty();
        private int busyPollMicros;

        private Builder() {
        }

        /** The underlay address to bind (required): the VTEP's address as its peers see it. */
        public Builder local(Inet4Address value) {
            this.local = Objects.requireNonNull(value);
            return this;
        }

        /** The VXLAN UDP port to receive on and to send to: 4789 by default (IANA); 0 binds an ephemeral one. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port out of range: " + value);
            }
            this.port = value;
            return this;
        }

        /**
         * Outer source ports, one bound socket per port (at most 64): {@code 61000-61007} by default, just above
         * Linux's ephemeral range so no client socket takes them.
         */
        public Builder sourcePorts(PortRange value) {
            if (value.size() > 64) {
                throw new IllegalArgumentException("source port range " + value + " holds more than 64 ports");
            }
            this.sourcePortLow = value.low();
            this.sourcePoolSize = value.size();
            return this;
        }

        /**
         * Send from {@code count} sockets on ephemeral ports instead of a fixed range: for tests that share a
         * namespace with other processes. The flow hash still picks the socket.
         */
        public Builder ephemeralSourcePorts(int count) {
            if (count < 1 || count > 64) {
                throw new IllegalArgumentException("source socket count must be 1..64: " + count);
            }
            this.sourcePortLow = 0;
            this.sourcePoolSize = count;
            return this;
        }

        /** The transport; {@link IoTransport#AUTO} (the default) picks the best available. */
        public Builder transport(IoTransport value) {
            this.transport = Objects.requireNonNull(value);
            return this;
        }

        /** Sockets sharing the VXLAN port with {@code SO_REUSEPORT}, one event-loop thread each (default 1). */
        public Builder receiveSockets(int value) {
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("receive sockets must be 1..64: " + value);
            }
            this.receiveSockets = value;
            return this;
        }

        /**
         * Send and receive buffer size of every socket (default 32 MiB). The receive queue must ride out the
         * moments the event loop is not scheduled, and a GRO batch is charged at its true size (about twice its
         * payload): the buffer must hold hundreds of batches, not tens (measurement: docs/vtep.md, "Transports",
         * Buffers). Memory is used only while datagrams wait.
         */
        public Builder socketBufferBytes(int value) {
            if (value < 65536) {
                throw new IllegalArgumentException("socket buffer below 64 KiB: " + value);
            }
            this.bufferBytes = value;
            return this;
        }

        /** Whether to receive coalesced batches with {@code UDP_GRO} (epoll only; default on). */
        public Builder gro(boolean value) {
            this.gro = value;
            return this;
        }

        /**
         * The inner frame size whose datagrams are batched with UDP GSO (epoll and io_uring): a full-MTU frame,
         * 14 + 1450 by default; 0 turns GSO off. TCP bulk traffic is almost all full-size frames.
         */
        public Builder gsoFrameBytes(int value) {
            if (value != 0 && (value < 64 || value + VxlanHeader.LENGTH > VxlanCodec.MAX_UDP_PAYLOAD / 2)) {
                throw new IllegalArgumentException("GSO frame size out of range: " + value);
            }
            this.gsoFrameBytes = value;
            return this;
        }

        /** The network namespace to create the sockets in (default: the caller's). */
        public Builder namespace(NetNs value) {
            this.namespace = Optional.of(value);
            return this;
        }

        /**
         * Spin-then-park on the receive event loops (epoll; other transports ignore it): after handling I/O, a
         * loop keeps polling its sockets for up to {@code micros} microseconds before it blocks, so a datagram
         * that arrives within that time is read without a scheduler wake-up. 0 (the default) blocks at once.
         * Costs up to that much of a core per loop after each burst of traffic; an idle VTEP stays parked. On the
         * 2-core lab it bought nothing measurable (docs/vtep.md, "Latency"), hence off by default.
         */
        public Builder busyPollMicros(int micros) {
            if (micros < 0 || micros > SpinPolling.MAX_BUDGET_MICROS) {
                throw new IllegalArgumentException("busy-poll budget must be 0.." + SpinPolling.MAX_BUDGET_MICROS
                    + " us: " + micros);
            }
            this.busyPollMicros = micros;
            return this;
        }

        /** The VTEP, not started: pass it to the switch as its uplink, then {@link UdpVtep#start}. */
        public UdpVtep build() {
            return new UdpVtep(this);
        }
    }
}
