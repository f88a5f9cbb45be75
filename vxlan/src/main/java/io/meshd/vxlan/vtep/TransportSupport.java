package io.meshd.vxlan.vtep;

import io.meshd.net.IoTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import java.io.IOException;
import java.net.StandardProtocolFamily;

/**
 * What differs between transports: the event loop's I/O handler, how a socket is opened, which batching options
 * apply, and how a datagram is sent directly on the descriptor. Everything else in the VTEP is shared, so one test
 * body covers every transport.
 */
final class TransportSupport {

    /** {@code SOL_SOCKET}, {@code SO_SNDBUFFORCE} and {@code SO_RCVBUFFORCE} from {@code asm-generic/socket.h}. */
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;
    /** {@code SOL_UDP} and {@code UDP_SEGMENT} ({@code linux/udp.h}): a sticky GSO segment size for the socket. */
    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;

    /**
     * A recvmmsg slot holds the largest datagram or GRO batch (64 KiB): a VTEP must never truncate a frame. Each
     * read fills up to this many slots.
     */
    private static final int SLOT_BYTES = 65535;
    private static final int SLOTS_PER_READ = 4;
    /** Transports that read one datagram per buffer get room for the largest one. */
    private static final int SINGLE_READ_BYTES = 65536;

    private final IoTransport transport;

    TransportSupport(IoTransport resolved) {
        if (resolved == IoTransport.AUTO) {
            throw new IllegalArgumentException("resolve AUTO first");
        }
        this.transport = resolved;
    }

    IoTransport transport() {
        return transport;
    }

    IoHandlerFactory ioHandlerFactory() {
        return transport.ioHandlerFactory();
    }

    /** The event loop's I/O handler, spinning as {@code spin} says on epoll (other transports do not spin). */
    IoHandlerFactory ioHandlerFactory(SpinPolling spin) {
        return spin.enabled() && transport == IoTransport.EPOLL ? spin.epollFactory() : ioHandlerFactory();
    }

    /**
     * Opens an IPv4 UDP socket in the calling thread's network namespace, with the requested buffer sizes.
     * Root may exceed {@code net.core.[rw]mem_max} ({@code SO_*BUFFORCE}); others get what the limits allow.
     */
    UdpSocket open(int bufferBytes, int gsoSegmentBytes) throws IOException {
        if (transport == IoTransport.NIO) {
            java.nio.channels.DatagramChannel javaChannel =
                java.nio.channels.DatagramChannel.open(StandardProtocolFamily.INET);
            javaChannel.configureBlocking(false);
            javaChannel.socket().setSendBufferSize(bufferBytes);
            javaChannel.socket().setReceiveBufferSize(bufferBytes);
            NioDatagramChannel channel = new NioDatagramChannel(javaChannel);
            return new UdpSocket(channel, new NioDatagramSender(javaChannel), 0);
        }
        DatagramChannel channel = transport == IoTransport.EPOLL
            ? new EpollDatagramChannel(SocketProtocolFamily.INET)
            : new IoUringDatagramChannel(SocketProtocolFamily.INET);
        Socket socket = (Socket) ((UnixChannel) channel).fd();
        forceBuffers(socket, bufferBytes);
        return new UdpSocket(channel, new NativeDatagramSender(socket), enableGso(socket, gsoSegmentBytes));
    }

    /**
     * Sets a sticky UDP GSO segment size: from then on a send longer than it is cut by the kernel into datagrams
     * of that size (the last may be shorter), one syscall for up to 64 of them; shorter sends are plain datagrams.
     *
     * @return the segment size, or 0 when GSO is off or the kernel refuses it
     */
    private static int enableGso(Socket socket, int segmentBytes) {
        if (segmentBytes <= 0) {
            return 0;
        }
        try {
            socket.setIntOpt(SOL_UDP, UDP_SEGMENT, segmentBytes);
            return segmentBytes;
        } catch (IOException unsupported) {
            return 0;
        }
    }

    private static void forceBuffers(Socket socket, int bytes) throws IOException {
        try {
            socket.setIntOpt(SOL_SOCKET, SO_SNDBUFFORCE, bytes);
            socket.setIntOpt(SOL_SOCKET, SO_RCVBUFFORCE, bytes);
        } catch (IOException | ChannelException notPrivileged) {
            // Netty's native setsockopt reports EPERM (no CAP_NET_ADMIN) as a ChannelException, not an IOException
            socket.setSendBufferSize(bytes);
            socket.setReceiveBufferSize(bytes);
        }
    }

    /**
     * Batching options: epoll reads several datagrams per call ({@code recvmmsg}) and, with GRO, coalesced batches;
     * io_uring reads into large buffers too. {@code SO_REUSEPORT} lets several sockets share the VXLAN port.
     */
    void configure(Bootstrap bootstrap, boolean reusePort, boolean gro) {
        // Every read takes a 64 KiB buffer (a datagram is never truncated). Netty 4.2's default adaptive allocator
        // serves buffers that large unpooled: a fresh, zeroed direct buffer per read. The pooled allocator recycles
        // them from its arenas.
        bootstrap.option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        switch (transport) {
            case EPOLL: {
                bootstrap.option(UnixChannelOption.SO_REUSEPORT, reusePort)
                    .option(EpollChannelOption.UDP_GRO, gro)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, SLOT_BYTES)
                    // One slot with GRO: Netty's recvmmsg path does not read the UDP_GRO segment size, so a GRO
                    // batch read through it arrives as one oversized datagram (tried: VtepTransportTestBase's
                    // super-frame tests fail). Small datagrams that were not coalesced (a 64-byte flood) therefore
                    // come one per recvmsg; batching them needs a recvmmsg that reads the control messages.
                    .option(ChannelOption.RECVBUF_ALLOCATOR, readsUntilEmpty(SLOT_BYTES * (gro ? 1 : SLOTS_PER_READ)));
                break;
            }
            case IO_URING:
                bootstrap.option(UnixChannelOption.SO_REUSEPORT, reusePort)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, readsUntilEmpty(SINGLE_READ_BYTES));
                break;
            default:
                bootstrap.option(ChannelOption.RECVBUF_ALLOCATOR, readsUntilEmpty(SINGLE_READ_BYTES));
                break;
        }
    }

    /** Reads per event-loop wake-up: one receive burst, which the TAP coalescer can merge across. */
    static final int READS_PER_BURST = 8;

    /**
     * Buffers of {@code bytes}, read until the socket is empty or {@value #READS_PER_BURST} reads. A
     * {@code FixedRecvByteBufAllocator} set as an option reads once per wake-up unless told otherwise (the channel's
     * own default of 16 applies only to the allocator it creates), and Netty's NIO loop also stops after a read that
     * did not fill its buffer, which a datagram never does. A burst must span several reads: datagrams that arrive
     * one by one (from a kernel VTEP when the underlay interface has no GRO, or on NIO) coalesce only across reads,
     * and so does a super-frame that straddles two GRO batches (measurement: docs/vtep.md, "Offloads"). io_uring
     * ignores both settings: Netty ends its read after each completed datagram.
     */
    private static FixedRecvByteBufAllocator readsUntilEmpty(int bytes) {
        FixedRecvByteBufAllocator allocator = new FixedRecvByteBufAllocator(bytes);
        allocator.maxMessagesPerRead(READS_PER_BURST);
        allocator.respectMaybeMoreData(false);
        return allocator;
    }
}
