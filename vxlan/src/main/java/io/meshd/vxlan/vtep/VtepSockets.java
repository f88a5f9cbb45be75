package io.meshd.vxlan.vtep;

import io.meshd.net.IoTransport;
import io.meshd.shims.NetNs;
import io.meshd.vxlan.tap.ReadBurst;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The sockets of a {@link UdpVtep} and the event loops that read them: the receive sockets sharing the VXLAN port
 * ({@code SO_REUSEPORT}, one event-loop thread each), one socket per outer source port, and per source port a GSO
 * twin bound to the same port. Every socket is created in the VTEP's namespace, if it has one, and reads into a
 * {@link VxlanDatagramHandler}. Opened once and closed once, under the VTEP's monitor.
 */
final class VtepSockets {

    private final Inet4Address local;
    private final IoTransport transport;
    private final int bufferBytes;
    private final boolean gro;
    private final Optional<NetNs> namespace;
    private final VtepCounters counters;
    private final SpinPolling spin;
    private EventLoopGroup group;
    private final List<UdpSocket> receivers = new ArrayList<>();
    private UdpSocket[] senders = new UdpSocket[0];
    private UdpSocket[] gsoTwins = new UdpSocket[0];
    /** The VXLAN port actually bound (the ephemeral one when 0 was asked), 0 before opening. */
    private volatile int boundPort;

    VtepSockets(Inet4Address local, IoTransport transport, int bufferBytes, boolean gro, Optional<NetNs> namespace,
        VtepCounters counters, SpinPolling spin) {
        this.spin = spin;
        this.local = local;
        this.transport = transport;
        this.bufferBytes = bufferBytes;
        this.gro = gro;
        this.namespace = namespace;
        this.counters = counters;
    }

    boolean isOpen() {
        return group != null;
    }

    /**
     * Binds {@code receiveSockets} sockets to the VXLAN {@code port} and one socket per source port (from
     * {@code sourcePortLow}, or ephemeral ones when it is 0), with a GSO twin each when {@code gsoSegmentBytes} is
     * not 0; every datagram read goes to {@code receiver}, each read bracketed by {@code receiveBurst}. Closes what
     * it opened and throws when a socket cannot be bound.
     */
    void open(SocketPlan plan, UplinkReceiver receiver, ReadBurst receiveBurst) {
        TransportSupport support = new TransportSupport(transport);
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "vtep-" + transport.cliName() + "-" + plan.port);
            t.setDaemon(true);
            return t;
        };
        group = new MultiThreadIoEventLoopGroup(plan.receiveSockets, threads, support.ioHandlerFactory(spin));
        Binder binder = new Binder(support, receiver, receiveBurst);
        try {
            for (int i = 0; i < plan.receiveSockets; i++) {
                receivers.add(binder.bind(plan.port, 0, plan.receiveSockets > 1));
                boundPort = receivers.get(0).channel().localAddress().getPort();
            }
            boolean gso = plan.gsoSegmentBytes > 0 && transport != IoTransport.NIO;
            UdpSocket[] pool = new UdpSocket[plan.sourcePoolSize];
            UdpSocket[] twins = new UdpSocket[gso ? plan.sourcePoolSize : 0];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = binder.bind(plan.sourcePortLow == 0 ? 0 : plan.sourcePortLow + i, 0, gso);
                if (gso) {
                    int bound = pool[i].channel().localAddress().getPort();
                    twins[i] = binder.bind(bound, plan.gsoSegmentBytes, true);
                }
            }
            gsoTwins = twins;
            senders = pool;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The sockets of the source ports, in port order. */
    UdpSocket[] senders() {
        return senders;
    }

    /** The GSO twins of the source ports, in port order, or none. */
    UdpSocket[] gsoTwins() {
        return gsoTwins;
    }

    /** The bound VXLAN port, 0 before opening. */
    int boundPort() {
        return boundPort;
    }

    /** The outer source ports bound, in pool order (empty before opening). */
    List<Integer> boundSourcePorts() {
        List<Integer> ports = new ArrayList<>();
        for (UdpSocket s : senders) {
            ports.add(s.channel().localAddress().getPort());
        }
        return ports;
    }

    /** Closes every socket and stops the event loops. Idempotent. */
    void close() {
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

    /** Which sockets to bind: the VXLAN port and how many share it, the source ports, the GSO segment size. */
    static final class SocketPlan {
        final int port;
        final int receiveSockets;
        final int sourcePortLow;
        final int sourcePoolSize;
        final int gsoSegmentBytes;

        SocketPlan(int port, int receiveSockets, int sourcePortLow, int sourcePoolSize, int gsoSegmentBytes) {
            this.port = port;
            this.receiveSockets = receiveSockets;
            this.sourcePortLow = sourcePortLow;
            this.sourcePoolSize = sourcePoolSize;
            this.gsoSegmentBytes = gsoSegmentBytes;
        }
    }

    /** Opens sockets in the namespace and binds them on the event loops, each reading into a handler. */
    private final class Binder {
        private final TransportSupport support;
        private final UplinkReceiver receiver;
        private final ReadBurst receiveBurst;

        Binder(TransportSupport support, UplinkReceiver receiver, ReadBurst receiveBurst) {
            this.support = support;
            this.receiver = receiver;
            this.receiveBurst = receiveBurst;
        }

        UdpSocket bind(int bindPort, int gsoSegment, boolean reusePort) {
            UdpSocket socket = inNamespace(() -> support.open(bufferBytes, gsoSegment));
            Bootstrap bootstrap = new Bootstrap().group(group)
                .channelFactory(socket::channel)
                .handler(new VxlanDatagramHandler(receiver, () -> boundPort, counters, receiveBurst));
            support.configure(bootstrap, reusePort, gro);
            String address = local.getHostAddress() + ":" + bindPort;
            try {
                bootstrap.bind(new InetSocketAddress(local, bindPort)).sync();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while binding " + address, e);
            } catch (Exception e) {
                socket.channel().close();
                throw new UncheckedIOException(new IOException("cannot bind UDP " + address + " (" + transport + "): "
                    + e.getMessage(), e));
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
    }

    @FunctionalInterface
    private interface OpenSocket {
        UdpSocket open() throws IOException;
    }
}
