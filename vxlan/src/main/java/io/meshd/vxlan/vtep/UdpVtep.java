package io.meshd.vxlan.vtep;

import io.meshd.shims.NetNs;
import io.meshd.vxlan.codec.DropCounters;
import io.meshd.vxlan.codec.FlowHash;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.vxlan.codec.VxlanHeader;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.Uplink;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VXLAN tunnel endpoint on Netty UDP: the {@link Uplink} of a switch.
 *
 * <p><b>Receive</b>: {@link Builder#receiveSockets(int)} sockets bound to {@code local:port} (several share the
 * port with {@code SO_REUSEPORT} on epoll and io_uring, one event-loop thread each); each datagram is decapsulated
 * in place and handed to the {@link UplinkReceiver} on that event loop.
 *
 * <p><b>Send</b>: the outer source port is {@link FlowHash#sourcePort} of the inner frame scaled into
 * {@link Builder#sourcePorts(PortRange)}, like Linux's {@code udp_flow_src_port}. The VTEP binds one socket per
 * port of that (small) range and sends each frame from the socket whose port the hash chose, so the kernel fills
 * the outer headers and computes the outer UDP checksum. Sends go straight to the socket's descriptor on the
 * calling thread (a TAP reader), with no hand-off to the event loop: the frame is copied once behind a VXLAN
 * header in a per-thread direct buffer. A full socket buffer drops the datagram and counts it.
 *
 * <p>Sockets are created in the namespace given to {@link Builder#namespace(NetNs)}, else in the caller's.
 * Thread safety: {@link #send} may be called from any number of threads at once.
 */
public final class UdpVtep implements Uplink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpVtep.class);
    /** The largest UDP payload over IPv4. */
    private static final int MAX_PAYLOAD = 65507;
    private static final ThreadLocal<SendBuffer> SEND_BUFFER = ThreadLocal.withInitial(SendBuffer::new);

    private final Inet4Address local;
    private final int port;
    /** First source port, or 0 for a pool of ephemeral ports (tests on a shared loopback). */
    private final int sourcePortLow;
    private final int sourcePoolSize;
    private final Transport transport;
    private final int receiveSockets;
    private final int bufferBytes;
    private final boolean gro;
    private final Optional<NetNs> namespace;
    private final VtepCounters counters = new VtepCounters();
    private DropCounters drops = new DropCounters();
    private final RemoteAddresses addresses = new RemoteAddresses();
    /** The port actually bound (differs from {@link #port} only when 0 asked for an ephemeral one). */
    private volatile int boundPort;
    private EventLoopGroup group;
    private final List<UdpSocket> receivers = new ArrayList<>();
    private UdpSocket[] senders = new UdpSocket[0];

    private UdpVtep(Builder b) {
        this.local = Objects.requireNonNull(b.local, "local address");
        this.port = b.port;
        this.sourcePortLow = b.sourcePortLow;
        this.sourcePoolSize = b.sourcePoolSize;
        this.transport = b.transport.resolve();
        // NIO has no SO_REUSEPORT, and ephemeral ports cannot be shared: one receive socket then.
        this.receiveSockets = transport == Transport.NIO || b.port == 0 ? 1 : b.receiveSockets;
        this.bufferBytes = b.bufferBytes;
        this.gro = b.gro && transport == Transport.EPOLL;
        this.namespace = b.namespace;
    }

    /** A builder; {@link Builder#local(Inet4Address)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens and binds every socket and starts delivering decapsulated frames to {@code receiver}, counting
     * datagrams the decoder rejects in {@code dropCounters} (normally the switch's).
     *
     * @throws UncheckedIOException when a socket cannot be bound (e.g. the address is not local, the port in use)
     */
    public synchronized UdpVtep start(UplinkReceiver receiver, DropCounters dropCounters) {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        this.drops = Objects.requireNonNull(dropCounters);
        TransportSupport support = new TransportSupport(transport);
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "vtep-" + transport.cliName() + "-" + port);
            t.setDaemon(true);
            return t;
        };
        group = new MultiThreadIoEventLoopGroup(receiveSockets, threads, support.ioHandlerFactory());
        try {
            for (int i = 0; i < receiveSockets; i++) {
                receivers.add(bind(support, receiver, port, receiveSockets > 1));
                boundPort = receivers.get(0).channel().localAddress().getPort();
            }
            UdpSocket[] pool = new UdpSocket[sourcePoolSize];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = bind(support, receiver, sourcePortLow == 0 ? 0 : sourcePortLow + i, false);
            }
            senders = pool;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.debug("VTEP on {}:{} with {} ({} receive sockets, source ports {})", local.getHostAddress(), port,
            transport, receiveSockets, boundSourcePorts());
        return this;
    }

    private UdpSocket bind(TransportSupport support, UplinkReceiver receiver, int bindPort, boolean reusePort) {
        UdpSocket socket = inNamespace(() -> support.open(bufferBytes));
        Bootstrap bootstrap = new Bootstrap().group(group)
            .channelFactory(socket::channel)
            .handler(new VxlanDatagramHandler(receiver, () -> boundPort, counters, drops));
        support.configure(bootstrap, reusePort, gro);
        try {
            bootstrap.bind(new InetSocketAddress(local, bindPort)).sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + local.getHostAddress() + ":" + bindPort, e);
        } catch (Exception e) {
            socket.channel().close();
            throw new UncheckedIOException(new IOException("cannot bind UDP " + local.getHostAddress() + ":" + bindPort
                + " (" + transport + "): " + e.getMessage(), e));
        }
        return socket;
    }

    private UdpSocket inNamespace(OpenSocket open) {
        try {
            if (namespace.isPresent()) {
                return namespace.get().call(open::open);
            }
            return open.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encapsulates the frame for network {@code vni} and sends it to {@code to}. Never throws for I/O failures. */
    @Override
    public void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
        UdpSocket[] pool = senders;
        if (pool.length == 0) {
            return;
        }
        int datagram = VxlanHeader.LENGTH + length;
        if (datagram > MAX_PAYLOAD) {
            counters.oversized();
            return;
        }
        SendBuffer out = SEND_BUFFER.get();
        out.view.putBytes(VxlanHeader.LENGTH, frame, offset, length);
        VxlanCodec.encode(out.view, 0, vni);
        // The hash scaled into [0, n) is the offset of the source port in the range: the socket bound to it.
        UdpSocket socket = pool.length == 1 ? pool[0]
            : pool[FlowHash.sourcePort(frame, offset, length, 0, pool.length - 1)];
        try {
            int sent = socket.sender().send(out.buffer, datagram, addresses.of(to));
            if (sent > 0) {
                counters.sent(datagram);
            } else {
                counters.sendBufferFull();
            }
        } catch (IOException | RuntimeException e) {
            counters.sendError();
        }
    }

    /** The transport actually in use (never {@link Transport#AUTO}). */
    public Transport transport() {
        return transport;
    }

    /** The UDP port the VTEP receives on (the bound one when 0 was asked). */
    public int port() {
        return boundPort == 0 ? port : boundPort;
    }

    /** The local (underlay) address. */
    public Inet4Address local() {
        return local;
    }

    /** The outer source ports actually bound, in pool order (empty before start). */
    public List<Integer> boundSourcePorts() {
        List<Integer> ports = new ArrayList<>();
        for (UdpSocket s : senders) {
            ports.add(s.channel().localAddress().getPort());
        }
        return ports;
    }

    /** Datagram and byte counters. */
    public VtepCounters counters() {
        return counters;
    }

    /** Closes every socket and stops the event loops. Idempotent. */
    @Override
    public synchronized void close() {
        UdpSocket[] pool = senders;
        senders = new UdpSocket[0];
        for (UdpSocket s : receivers) {
            s.channel().close().awaitUninterruptibly();
        }
        receivers.clear();
        for (UdpSocket s : pool) {
            s.channel().close().awaitUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
    }

    /** The channels, for tests. */
    List<DatagramChannel> channels() {
        List<DatagramChannel> all = new ArrayList<>();
        receivers.forEach(s -> all.add(s.channel()));
        for (UdpSocket s : senders) {
            all.add(s.channel());
        }
        return all;
    }

    @Override
    public String toString() {
        return "UdpVtep[" + local.getHostAddress() + ":" + port + ", " + transport + "]";
    }

    @FunctionalInterface
    private interface OpenSocket {
        UdpSocket open() throws IOException;
    }

    /** A per-thread direct buffer with room for the largest datagram, and a view on it. */
    private static final class SendBuffer {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_PAYLOAD + 1);
        final UnsafeBuffer view = new UnsafeBuffer(buffer);
    }

    /** Options of a {@link UdpVtep}. */
    public static final class Builder {
        private Inet4Address local;
        private int port = 4789;
        private int sourcePortLow = 61000;
        private int sourcePoolSize = 8;
        private Transport transport = Transport.AUTO;
        private int receiveSockets = 1;
        private int bufferBytes = 4 << 20;
        private boolean gro = true;
        private Optional<NetNs> namespace = Optional.empty();

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

        /** The transport; {@link Transport#AUTO} (the default) picks the best available. */
        public Builder transport(Transport value) {
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

        /** Send and receive buffer size of every socket (default 4 MiB). */
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

        /** The network namespace to create the sockets in (default: the caller's). */
        public Builder namespace(NetNs value) {
            this.namespace = Optional.of(value);
            return this;
        }

        /** The VTEP, not started: pass it to the switch as its uplink, then {@link UdpVtep#start}. */
        public UdpVtep build() {
            return new UdpVtep(this);
        }
    }
}
