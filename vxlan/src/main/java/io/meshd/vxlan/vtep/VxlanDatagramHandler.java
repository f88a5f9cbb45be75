package io.meshd.vxlan.vtep;

import io.meshd.net.metrics.ThrottledLog;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.tap.ReadBurst;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.function.IntSupplier;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the payload of every datagram of one socket to the {@link UplinkReceiver} (the switch, which decodes the
 * VXLAN header and counts bad datagrams by reason, once). Zero-copy: the view wraps the Netty buffer's memory.
 * Nothing is thrown out of the pipeline and the socket is never closed for bad input. One instance per channel (the
 * view is not shared between threads).
 *
 * <p>Everything one read loop of the event loop delivers is one {@link ReceiveBurst}: ports may gather the
 * payloads of a burst's frames from where they were received and write them at its end, so the burst holds the
 * datagrams (at most {@link #MAX_HELD}, and at most {@link #MAX_HELD_BYTES} of buffers) and releases them at its
 * end, after the ports' {@link ReadBurst#end()}.
 */
final class VxlanDatagramHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(VxlanDatagramHandler.class);
    private static final String ERROR_MESSAGE =
        "dropping a VXLAN datagram after an unexpected error (further ones counted as rx-errors)";

    private final UplinkReceiver receiver;
    private final IntSupplier vtepPort;
    private final VtepCounters counters;
    /**
     * Datagrams one burst holds; a longer burst is cut there. Netty's epoll transport hands a UDP GRO batch over as
     * one slice per datagram (up to 64), so a burst of {@link TransportSupport#READS_PER_BURST} reads needs room for
     * that many times 64 of them, or the TAP's coalescer is flushed before a super-frame is full (measurement:
     * docs/vtep.md, "The step from 0.5× to 0.6×").
     */
    static final int MAX_HELD = TransportSupport.READS_PER_BURST * 64;
    /**
     * The memory one burst may keep, counted by the capacity of the receive buffers it holds:
     * {@link TransportSupport#READS_PER_BURST} reads of 64 KiB, an eighth of the pooled allocator's chunk. It must
     * stay below a quarter of a chunk: past that, the allocator frees the chunk when the burst releases it and
     * zeroes a new one for the next burst on the event loop (measurement: docs/vtep.md, "Offloads", GRO for the TAP).
     */
    static final long MAX_HELD_BYTES = TransportSupport.READS_PER_BURST * 65536L;
    private final ReceiveBurst burst;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer heapCopy = new UnsafeBuffer(new byte[65536]);
    /** Unexpected failures: each counted, logged at most once per interval. */
    private final ThrottledLog errorLog = ThrottledLog.of(LOG);

    VxlanDatagramHandler(UplinkReceiver receiver, IntSupplier vtepPort, VtepCounters counters, ReadBurst burst) {
        this.receiver = receiver;
        this.burst = new ReceiveBurst(burst, MAX_HELD, MAX_HELD_BYTES);
        this.vtepPort = vtepPort;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buffer = msg instanceof ByteBufHolder ? receiveBuffer(((ByteBufHolder) msg).content()) : null;
        if (burst.isOpen() && !burst.hasRoomFor(buffer)) {
            // One more receive buffer would keep too much alive: what is held goes first.
            endBurst();
        }
        try {
            // Everything one read loop of the event loop delivers is one burst: ports may coalesce it. The burst
            // is open even if a port fails to begin, so the datagram is still held and released at its end.
            burst.begin();
            // Every transport hands over one datagram per message: epoll splits a UDP GRO batch into a slice per
            // datagram before the pipeline sees it.
            if (msg instanceof DatagramPacket) {
                DatagramPacket packet = (DatagramPacket) msg;
                ByteBuf content = packet.content();
                handle(content, content.readerIndex(), content.readableBytes(), packet.sender());
            }
        } catch (RuntimeException e) {
            counters.receiveError();
            errorLog.warn(ERROR_MESSAGE, e);
        } finally {
            if (burst.hold(msg, buffer)) {
                endBurst();
            }
        }
    }

    /**
     * The receive buffer a datagram keeps alive: the whole buffer it was read into, however many datagrams are
     * slices of it (a GRO batch, a {@code recvmmsg} read). Consecutive datagrams share it, so it is counted once.
     */
    private static ByteBuf receiveBuffer(ByteBuf content) {
        ByteBuf buffer = content;
        for (ByteBuf inner = buffer.unwrap(); inner != null; inner = inner.unwrap()) {
            buffer = inner;
        }
        return buffer;
    }

    private void handle(ByteBuf content, int index, int length, InetSocketAddress sender) {
        counters.received(length);
        // Learned entries point at the peer's VXLAN port (the same as ours in a static overlay), not the
        // flow-hashed source port it sent from.
        // Inet4Address.hashCode() is the address as an int: no byte[] copy per datagram.
        RemoteVtep from = RemoteVtep.of(sender.getAddress().hashCode(), vtepPort.getAsInt());
        receiver.receive(from, wrap(content, index, length), 0, length);
    }

    private UnsafeBuffer wrap(ByteBuf content, int index, int length) {
        if (content.hasMemoryAddress()) {
            view.wrap(content.memoryAddress() + index, length);
            return view;
        }
        // Only without Unsafe: a heap copy, still allocation-free.
        int copy = Math.min(length, heapCopy.capacity());
        content.getBytes(index, heapCopy.byteArray(), 0, copy);
        view.wrap(heapCopy, 0, copy);
        return view;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        endBurst();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        endBurst();
    }

    /** Ends the burst: ports write what they gathered, then the datagrams it held are released. */
    private void endBurst() {
        try {
            burst.end();
        } catch (RuntimeException e) {
            counters.receiveError();
            errorLog.warn(ERROR_MESSAGE, e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Never close: this is the listening socket. Count and log at most once per interval.
        counters.receiveError();
        errorLog.warn(ERROR_MESSAGE, cause);
    }
}
