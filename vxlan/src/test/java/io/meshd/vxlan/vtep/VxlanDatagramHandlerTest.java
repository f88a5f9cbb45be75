package io.meshd.vxlan.vtep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.vxlan.tap.ReadBurst;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the handler brackets a read loop's datagrams into one burst. Netty's epoll transport delivers a UDP GRO batch
 * as one retained slice per datagram, so a burst of 16 reads is up to 16 x 64 messages; the coalescer can only build
 * a 64 KiB super-frame if the burst is not cut before that.
 */
class VxlanDatagramHandlerTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 4789);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.2", 4789);
    /** A GRO batch of 44 datagrams of 1500 bytes, as one receive buffer. */
    private static final int PER_BATCH = 44;
    private static final int DATAGRAM = 1500;

    /** Records bursts, and whether every datagram of the burst was still readable when it ended. */
    private static final class RecordingBurst implements ReadBurst {
        final List<ByteBuf> received = new ArrayList<>();
        int begins;
        int ends;
        int heldAtEnd;
        final List<Integer> sizes = new ArrayList<>();
        int current;

        @Override
        public void begin() {
            begins++;
            current = 0;
        }

        @Override
        public void end() {
            ends++;
            sizes.add(current);
            for (ByteBuf b : received) {
                if (b.refCnt() > 0) {
                    heldAtEnd++;
                }
            }
            received.clear();
        }
    }

    private final RecordingBurst burst = new RecordingBurst();
    private final VtepCounters counters = new VtepCounters();

    private EmbeddedChannel channel() {
        UplinkReceiver receiver = (from, payload, offset, length) -> burst.current++;
        return new EmbeddedChannel(new VxlanDatagramHandler(receiver, () -> 4789, counters, burst));
    }

    /** One read's worth of slices over one pooled buffer, the way Netty's epoll transport splits a GRO batch. */
    private List<DatagramPacket> groBatch() {
        ByteBuf batch = PooledByteBufAllocator.DEFAULT.directBuffer(PER_BATCH * DATAGRAM);
        batch.writeZero(PER_BATCH * DATAGRAM);
        List<DatagramPacket> slices = new ArrayList<>();
        while (batch.isReadable()) {
            ByteBuf slice = batch.readRetainedSlice(DATAGRAM);
            burst.received.add(slice);
            slices.add(new DatagramPacket(slice, LOCAL, PEER));
        }
        batch.release();
        return slices;
    }

    @Test
    void shouldKeepSixteenGroReadsInOneBurstAndReleaseEveryDatagramAfterIt() {
        EmbeddedChannel channel = channel();
        List<ByteBuf> all = new ArrayList<>();
        for (int read = 0; read < 16; read++) {
            for (DatagramPacket packet : groBatch()) {
                all.add(packet.content());
                channel.pipeline().fireChannelRead(packet);
            }
        }
        assertEquals(0, burst.ends, "a read loop of 16 GRO batches is never cut");
        channel.pipeline().fireChannelReadComplete();

        assertEquals(1, burst.begins);
        assertEquals(List.of(16 * PER_BATCH), burst.sizes, "every datagram in the one burst");
        assertEquals(16 * PER_BATCH, burst.heldAtEnd, "each datagram still readable when its burst ended");
        assertTrue(all.stream().allMatch(b -> b.refCnt() == 0), "each released after the burst");
        assertEquals(16 * PER_BATCH, counters.rxDatagrams());
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldCutABurstLongerThanTheCapAndStillReleaseEverything() {
        EmbeddedChannel channel = channel();
        List<ByteBuf> all = new ArrayList<>();
        int datagrams = 0;
        while (datagrams <= VxlanDatagramHandler.MAX_HELD) {
            for (DatagramPacket packet : groBatch()) {
                all.add(packet.content());
                channel.pipeline().fireChannelRead(packet);
                datagrams++;
            }
        }
        channel.pipeline().fireChannelReadComplete();

        assertEquals(2, burst.ends, "cut once at the cap, then ended by the read loop");
        assertEquals(List.of(VxlanDatagramHandler.MAX_HELD, datagrams - VxlanDatagramHandler.MAX_HELD), burst.sizes);
        assertEquals(datagrams, burst.heldAtEnd);
        assertTrue(all.stream().allMatch(b -> b.refCnt() == 0), "nothing leaks");
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldCutABurstOfWholeReadBuffersByTheMemoryItKeeps() {
        EmbeddedChannel channel = channel();
        int perBuffer = 65536;
        int buffers = (int) (VxlanDatagramHandler.MAX_HELD_BYTES / perBuffer);
        List<ByteBuf> all = new ArrayList<>();
        for (int i = 0; i < buffers + 1; i++) {
            // NIO and io_uring read each datagram into a buffer of its own, sized for the largest one.
            ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(perBuffer, perBuffer);
            buffer.writeZero(DATAGRAM);
            burst.received.add(buffer);
            all.add(buffer);
            channel.pipeline().fireChannelRead(new DatagramPacket(buffer, LOCAL, PEER));
        }
        channel.pipeline().fireChannelReadComplete();

        assertEquals(List.of(buffers, 1), burst.sizes, "cut when the held buffers reach the memory cap");
        assertEquals(buffers + 1, burst.heldAtEnd);
        assertTrue(all.stream().allMatch(b -> b.refCnt() == 0), "nothing leaks");
        channel.finishAndReleaseAll();
    }
}
