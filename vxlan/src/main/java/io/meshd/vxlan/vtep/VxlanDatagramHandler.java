package io.meshd.vxlan.vtep;

import io.meshd.net.metrics.ThrottledLog;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.tap.ReadBurst;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
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
 * <p>Everything one read loop of the event loop delivers is one burst ({@link ReadBurst}): ports may gather the
 * payloads of a burst's frames from where they were received and write them at its end, so the handler keeps the
 * burst's datagrams (at most {@link #MAX_HELD}, and at most {@link #MAX_HELD_BYTES} of buffers) until then and
 * releases them after {@link ReadBurst#end()}.
 */
final class VxlanDatagramHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(VxlanDatagramHandler.class);
    private static final String ERROR_MESSAGE =
        "dropping a VXLAN datagram after an unexpected error (further ones counted as rx-errors)";

    private final UplinkReceiver receiver;
    private final IntSupplier vtepPort;
    private final VtepCounters counters;
    private final ReadBurst burst;
    /**
     * Datagrams kept until their burst ends; a longer burst is cut there. Netty's epoll transport hands a UDP GRO
     * batch over as one slice per datagram (up to 64), so a burst of {@link TransportSupport#READS_PER_BURST} reads
     * can hold that many times 64 of them. A cap of 16 once cut every coalesced super-frame at 16 segments (three
     * TAP writes where one does).
     */
    static final int MAX_HELD = TransportSupport.READS_PER_BURST * 64;
    /**
     * The memory a burst may keep, counted by the capacity of the receive buffers it holds: {@link
     * TransportSupport#READS_PER_BURST} reads of 64 KiB, an eighth of the pooled allocator's chunk. Past a quarter
     * of a chunk the allocator frees the chunk once the burst releases everything and zeroes a new 4 MiB one for the
     * next burst: with 16 reads per burst that cut a kernel peer's TCP stream into meshd from 1.7 to 0.5 Gbit/s
     * ({@code Unsafe.setMemory} on the event loop).
     */
    static final long MAX_HELD_BYTES = TransportSupport.READS_PER_BURST * 65536L;
    private final Object[] held = new Object[MAX_HELD];
    private int heldCount;
    private long heldBytes;
    /** The receive buffer last counted into {@link #heldBytes}. */
    private ByteBuf lastHeldBuffer;
    private boolean inBurst;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer heapCopy = new UnsafeBuffer(new byte[65536]);
    /** Unexpected failures: each counted, logged at most once per interval. */
    private final ThrottledLog errorLog = ThrottledLog.of(LOG);

    VxlanDatagramHandler(UplinkReceiver receiver, IntSupplier vtepPort, VtepCounters counters, ReadBurst burst) {
        this.receiver = receiver;
        this.burst = burst;
        this.vtepPort = vtepPort;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buffer = msg instanceof ByteBufHolder ? receiveBuffer(((ByteBufHolder) msg).content()) : null;
        boolean newBuffer = buffer != null && buffer != lastHeldBuffer;
        if (inBurst && newBuffer && heldBytes + buffer.capacity() > MAX_HELD_BYTES) {
            // One more receive buffer would keep too much alive: what is held goes first.
            endBurst();
        }
        if (!inBurst) {
            // Everything one read loop of the event loop delivers is one burst: ports may coalesce it.
            inBurst = true;
            burst.begin();
        }
        try {
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
            held[heldCount++] = msg;
            if (newBuffer) {
                lastHeldBuffer = buffer;
                heldBytes += buffer.capacity();
            }
            if (heldCount == MAX_HELD) {
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

    /** Ends the burst (ports write what they gathered), then releases the datagrams it held. */
    private void endBurst() {
        if (inBurst) {
            inBurst = false;
            try {
                burst.end();
            } catch (RuntimeException e) {
                counters.receiveError();
                errorLog.warn(ERROR_MESSAGE, e);
            }
        }
        for (int i = 0; i < heldCount; i++) {
            ReferenceCountUtil.release(held[i]);
            held[i] = null;
        }
        heldCount = 0;
        heldBytes = 0;
        lastHeldBuffer = null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Never close: this is the listening socket. Count and log at most once per interval.
        counters.receiveError();
        errorLog.warn(ERROR_MESSAGE, cause);
    }
}
