package io.meshd.vxlan.vtep;

import io.meshd.shims.IoVectors;
import io.meshd.shims.NetNs;
import io.meshd.net.IoTransport;
import io.meshd.packet.FlowHash;
import io.meshd.vxlan.codec.VxlanCodec;
import io.meshd.vxlan.codec.VxlanHeader;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.fabric.SegmentedFrame;
import io.meshd.vxlan.fabric.Uplink;
import io.meshd.vxlan.tap.ReadBurst;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
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
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
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
 * calling thread (a TAP reader), with no hand-off to the event loop: the frame is copied once behind a VXLAN
 * header in a per-thread direct buffer. A full socket buffer drops the datagram and counts it.
 *
 * <p><b>Batching</b>: as a {@link ReadBurst}, the VTEP lets a TAP reader bracket the frames of one read. Inside a
 * burst, datagrams of full-size frames ({@link Builder#gsoFrameBytes(int)}) for the same source port and peer are
 * gathered and sent with one {@code sendto} on the port's GSO twin socket (same port, {@code SO_REUSEPORT}, sticky
 * {@code UDP_SEGMENT}); the kernel cuts them into datagrams again. Everything else goes through the plain socket
 * of the port, after whatever was gathered, so a flow keeps its order. epoll and io_uring only.
 *
 * <p>Sockets are created in the namespace given to {@link Builder#namespace(NetNs)}, else in the caller's.
 * Thread safety: {@link #send} may be called from any number of threads at once.
 */
public final class UdpVtep implements Uplink, ReadBurst, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpVtep.class);
    private static final ThreadLocal<SendBuffer> SEND_BUFFER = ThreadLocal.withInitial(SendBuffer::new);

    private final Inet4Address local;
    private final int port;
    /** First source port, or 0 for a pool of ephemeral ports (tests on a shared loopback). */
    private final int sourcePortLow;
    private final int sourcePoolSize;
    private final IoTransport transport;
    private final int receiveSockets;
    private final int bufferBytes;
    private final int gsoSegmentBytes;
    private final boolean gro;
    private final Optional<NetNs> namespace;
    private final VtepCounters counters = new VtepCounters();
    private ReadBurst receiveBurst = ReadBurst.NONE;
    private final RemoteAddresses addresses = new RemoteAddresses();
    /** The port actually bound (differs from {@link #port} only when 0 asked for an ephemeral one). */
    private volatile int boundPort;
    private EventLoopGroup group;
    private final List<UdpSocket> receivers = new ArrayList<>();
    private UdpSocket[] senders = new UdpSocket[0];
    /**
     * A GSO twin per source port, bound to the same port with {@code SO_REUSEPORT} (empty without GSO). Its sticky
     * {@code UDP_SEGMENT} would cut any longer datagram apart, so only GSO-sized batches go through the twin and
     * everything else through the plain socket; one thread sends both in order.
     */
    private UdpSocket[] gsoTwins = new UdpSocket[0];

    private UdpVtep(Builder b) {
        this.local = Objects.requireNonNull(b.local, "local address");
        this.port = b.port;
        this.sourcePortLow = b.sourcePortLow;
        this.sourcePoolSize = b.sourcePoolSize;
        this.transport = b.transport.resolve();
        // NIO has no SO_REUSEPORT, and ephemeral ports cannot be shared: one receive socket then.
        this.receiveSockets = transport == IoTransport.NIO || b.port == 0 ? 1 : b.receiveSockets;
        this.bufferBytes = b.bufferBytes;
        this.gsoSegmentBytes = b.gsoFrameBytes == 0 ? 0 : VxlanHeader.LENGTH + b.gsoFrameBytes;
        this.gro = b.gro && transport == IoTransport.EPOLL;
        this.namespace = b.namespace;
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
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        this.receiveBurst = Objects.requireNonNull(receiveBurst);
        TransportSupport support = new TransportSupport(transport);
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "vtep-" + transport.cliName() + "-" + port);
            t.setDaemon(true);
            return t;
        };
        group = new MultiThreadIoEventLoopGroup(receiveSockets, threads, support.ioHandlerFactory());
        try {
            for (int i = 0; i < receiveSockets; i++) {
                receivers.add(bind(support, receiver, port, 0, receiveSockets > 1));
                boundPort = receivers.get(0).channel().localAddress().getPort();
            }
            boolean gso = gsoSegmentBytes > 0 && transport != IoTransport.NIO;
            UdpSocket[] pool = new UdpSocket[sourcePoolSize];
            UdpSocket[] twins = new UdpSocket[gso ? sourcePoolSize : 0];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = bind(support, receiver, sourcePortLow == 0 ? 0 : sourcePortLow + i, 0, gso);
                if (gso) {
                    twins[i] = bind(support, receiver, pool[i].channel().localAddress().getPort(), gsoSegmentBytes,
                        true);
                }
            }
            gsoTwins = twins;
            senders = pool;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.debug("VTEP on {}:{} with {} ({} receive sockets, source ports {})", local.getHostAddress(), port,
            transport, receiveSockets, boundSourcePorts());
        return this;
    }

    private UdpSocket bind(TransportSupport support, UplinkReceiver receiver, int bindPort, int gsoSegment,
        boolean reusePort) {
        UdpSocket socket = inNamespace(() -> support.open(bufferBytes, gsoSegment));
        Bootstrap bootstrap = new Bootstrap().group(group)
            .channelFactory(socket::channel)
            .handler(new VxlanDatagramHandler(receiver, () -> boundPort, counters, receiveBurst));
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

    /**
     * Encapsulates the frame for network {@code vni} and sends it to {@code to}. Never throws for I/O failures.
     * Inside a {@link #begin()}/{@link #end()} burst on a socket with UDP GSO, datagrams of the GSO size for the
     * same socket and peer are gathered behind each other and sent with one syscall.
     */
    @Override
    public void send(int vni, RemoteVtep to, DirectBuffer frame, int offset, int length) {
        UdpSocket[] pool = senders;
        if (pool.length == 0) {
            return;
        }
        int datagram = VxlanHeader.LENGTH + length;
        if (datagram > VxlanCodec.MAX_UDP_PAYLOAD) {
            counters.oversized();
            return;
        }
        SendBuffer out = SEND_BUFFER.get();
        boolean batched = target(out, pool, sourceIndex(pool, frame, offset, length), addresses.of(to), datagram);
        out.append(vni, frame, offset, length);
        if (!batched) {
            flush(out);
        }
    }

    /**
     * Sends every segment of a super-frame like {@link #send}, hashing its flow once and building each segment
     * straight into this thread's send buffer. On epoll and io_uring only the headers are written there: each
     * segment's payload is sent from where it lies (the TAP's read buffer) by gathering pieces with
     * {@code sendmsg}, so user space reads the payload once (for its checksum) and never copies it.
     */
    @Override
    public void sendSegments(int vni, RemoteVtep to, SegmentedFrame frame, MutableDirectBuffer scratch) {
        UdpSocket[] pool = senders;
        if (pool.length == 0) {
            return;
        }
        int index = sourceIndex(pool, frame.buffer(), frame.offset(), frame.length());
        InetSocketAddress destination = addresses.of(to);
        SendBuffer out = SEND_BUFFER.get();
        for (int i = 0; i < frame.segments(); i++) {
            int datagram = VxlanHeader.LENGTH + frame.segmentLength(i);
            if (datagram > VxlanCodec.MAX_UDP_PAYLOAD) {
                counters.oversized();
                continue;
            }
            boolean batched = target(out, pool, index, destination, datagram);
            out.appendSegment(vni, frame, i);
            if (!batched) {
                flush(out);
            }
        }
    }

    /** The hash scaled into [0, n) is the offset of the source port in the range: the socket bound to it. */
    private static int sourceIndex(UdpSocket[] pool, DirectBuffer frame, int offset, int length) {
        return pool.length == 1 ? 0 : FlowHash.sourcePort(frame, offset, length, 0, pool.length - 1);
    }

    /**
     * Chooses the socket for the next datagram and makes room for it in {@code out}. Inside a burst, a datagram no
     * longer than the GSO size joins the batch for the port's GSO twin (what is held back is sent first when it
     * cannot be followed by it): true. Anything else goes alone through the plain socket, after whatever was held
     * back, so a flow keeps its order: false, and the caller sends it as soon as it is appended.
     */
    private boolean target(SendBuffer out, UdpSocket[] pool, int index, InetSocketAddress destination, int datagram) {
        UdpSocket[] twins = gsoTwins;
        if (out.bursting && twins.length == pool.length) {
            UdpSocket twin = twins[index];
            int segment = twin.gsoSegmentBytes();
            if (datagram <= segment) {
                if (out.count > 0 && !out.canAppend(twin, destination, datagram)) {
                    flush(out);
                }
                // A shorter datagram can only be the last of a GSO batch.
                out.target(twin, destination, datagram < segment);
                return true;
            }
        }
        flush(out);
        out.target(pool[index], destination, true);
        return false;
    }

    /** Starts holding back GSO-sized datagrams sent on this thread (a TAP reader, before switching a read). */
    @Override
    public void begin() {
        SEND_BUFFER.get().bursting = true;
    }

    /** Sends what this thread holds back and stops holding back. */
    @Override
    public void end() {
        SendBuffer out = SEND_BUFFER.get();
        out.bursting = false;
        flush(out);
    }

    private void flush(SendBuffer out) {
        int count = out.count;
        if (count == 0) {
            return;
        }
        int bytes = out.bytes;
        try {
            // More than one datagram: the socket's sticky UDP_SEGMENT makes the kernel cut them apart again.
            if (out.socket.sender().send(out.buffer, out.pieces, bytes, out.destination) > 0) {
                counters.sent(count, bytes);
            } else {
                counters.sendBufferFull(count);
            }
        } catch (IOException | RuntimeException e) {
            counters.sendError(count);
        } finally {
            out.reset();
        }
    }

    /** The transport actually in use (never {@link IoTransport#AUTO}). */
    public IoTransport transport() {
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
        List<UdpSocket> all = new ArrayList<>(receivers);
        all.addAll(List.of(senders));
        all.addAll(List.of(gsoTwins));
        senders = new UdpSocket[0];
        gsoTwins = new UdpSocket[0];
        receivers.clear();
        for (UdpSocket s : all) {
            s.channel().close().awaitUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
    }

    @Override
    public String toString() {
        return "UdpVtep[" + local.getHostAddress() + ":" + port + ", " + transport + "]";
    }

    @FunctionalInterface
    private interface OpenSocket {
        UdpSocket open() throws IOException;
    }

    /**
     * Per-thread send state: the datagram or GSO batch being gathered (datagrams of the socket's GSO size back to
     * back; a shorter one can only be the last). Its bytes are described by an iovec array of pieces: bytes copied
     * into the staging buffer (VXLAN headers, whole small frames, segment headers) and segment payloads left where
     * they lie. Sockets that cannot gather (NIO) only ever get copies, so the staging buffer then holds the datagram
     * contiguously.
     */
    private static final class SendBuffer {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(VxlanCodec.MAX_UDP_PAYLOAD + 1);
        final UnsafeBuffer view = new UnsafeBuffer(buffer);
        /** Two pieces per datagram (headers, payload) and 64 datagrams per batch fit. */
        final IoVectors pieces = new IoVectors(2 * VxlanCodec.MAX_GSO_SEGMENTS);
        boolean bursting;
        int count;
        /** Bytes of the datagrams gathered so far. */
        int bytes;
        /** Bytes used in the staging buffer (equal to {@link #bytes} when nothing is sent from elsewhere). */
        int staged;
        boolean closed;
        UdpSocket socket;
        InetSocketAddress destination;

        boolean canAppend(UdpSocket s, InetSocketAddress to, int datagram) {
            return !closed && socket == s && destination == to && count < VxlanCodec.MAX_GSO_SEGMENTS
                && bytes + datagram <= VxlanCodec.MAX_UDP_PAYLOAD;
        }

        /** Where the next datagram goes; {@code last}: nothing may follow it in this batch. */
        void target(UdpSocket s, InetSocketAddress to, boolean last) {
            socket = s;
            destination = to;
            closed = last;
        }

        /** Appends a frame behind a VXLAN header, copied. */
        void append(int vni, DirectBuffer frame, int offset, int length) {
            view.putBytes(staged + VxlanHeader.LENGTH, frame, offset, length);
            stage(vni, length);
        }

        /** Appends a segment behind a VXLAN header: its headers copied, its payload in place when it can be. */
        void appendSegment(int vni, SegmentedFrame frame, int index) {
            long payload = socket.sender().gathers() ? frame.payloadAddress(index) : 0;
            if (payload == 0) {
                stage(vni, frame.writeSegment(index, view, staged + VxlanHeader.LENGTH));
                return;
            }
            int headers = frame.writeHeaders(index, view, staged + VxlanHeader.LENGTH);
            stage(vni, headers);
            int payloadLength = frame.segmentLength(index) - headers;
            pieces.add(payload, payloadLength);
            bytes += payloadLength;
        }

        /** Writes the VXLAN header in front of {@code length} bytes just copied to the staging buffer. */
        private void stage(int vni, int length) {
            VxlanCodec.encode(view, staged, vni);
            int datagram = VxlanHeader.LENGTH + length;
            pieces.add(view.addressOffset() + staged, datagram);
            staged += datagram;
            bytes += datagram;
            count++;
        }

        void reset() {
            count = 0;
            bytes = 0;
            staged = 0;
            pieces.clear();
        }
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
         * moments the event loop is not scheduled: a GRO batch is charged at its true size (about twice its
         * payload), so 4 MiB held only ~30 batches and overflowed on a busy 2-core host, costing TCP retransmits.
         * Memory is used only while datagrams wait.
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

        /** The VTEP, not started: pass it to the switch as its uplink, then {@link UdpVtep#start}. */
        public UdpVtep build() {
            return new UdpVtep(this);
        }
    }
}
