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
 * as one retained slice per datagram, so a burst of several reads is hundreds of messages; the coalescer can only
 * build a 64 KiB super-frame if the burst is not cut before that, and the burst must not keep so much memory that
 * the pooled allocator churns its chunks.
 */
class VxlanDatagramHandlerTest {

    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 4789);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.2", 4789);
    /** A full-size GRO batch at MTU 1450: 44 datagrams of 1472 bytes in one receive buffer. */
    private static final int PER_BATCH = 44;
    private static final int DATAGRAM = 1472;

    /** Records bursts, and whether every datagram of the burst was still readable when it ended. */
    private static final class RecordingBurst implements ReadBurst {
        final List<ByteBuf> received = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        int begins;
        int heldAtEnd;
        int current;

        @Override
        public void begin() {
            begins++;
            current = 0;
        }

        @Override
        public void end() {
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
    private final List<ByteBuf> all = new ArrayList<>();

    private EmbeddedChannel channel() {
        UplinkReceiver receiver = (from, payload, offset, length) -> burst.current++;
        return new EmbeddedChannel(new VxlanDatagramHandler(receiver, () -> 4789, counters, burst));
    }

    /** One read's worth of slices over one pooled buffer, the way Netty's epoll transport splits a GRO batch. */
    private void readGroBatch(EmbeddedChannel channel, int datagrams, int size) {
        readInto(channel, datagrams * size, datagrams, size);
    }

    /** {@code datagrams} of {@code size} bytes read into one receive buffer of {@code capacity}, one slice each. */
    private void readInto(EmbeddedChannel channel, int capacity, int datagrams, int size) {
        ByteBuf batch = PooledByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
        batch.writeZero(datagrams * size);
        while (batch.isReadable()) {
            ByteBuf slice = batch.readRetainedSlice(size);
            burst.received.add(slice);
            all.add(slice);
            channel.pipeline().fireChannelRead(new DatagramPacket(slice, LOCAL, PEER));
        }
        batch.release();
    }

    private void assertAllReleased() {
        assertTrue(all.stream().allMatch(b -> b.refCnt() == 0), "each datagram released after its burst");
    }

    @Test
    void shouldKeepAWholeReadLoopOfGroBatchesInOneBurstAndReleaseEveryDatagramAfterIt() {
        EmbeddedChannel channel = channel();
        for (int read = 0; read < TransportSupport.READS_PER_BURST; read++) {
            readGroBatch(channel, PER_BATCH, DATAGRAM);
        }
        assertEquals(List.of(), burst.sizes, "a read loop of full GRO batches is never cut");
        channel.pipeline().fireChannelReadComplete();

        int datagrams = TransportSupport.READS_PER_BURST * PER_BATCH;
        assertEquals(1, burst.begins);
        assertEquals(List.of(datagrams), burst.sizes, "every datagram in the one burst");
        assertEquals(datagrams, burst.heldAtEnd, "each datagram still readable when its burst ended");
        assertAllReleased();
        assertEquals(datagrams, counters.rxDatagrams());
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldCutABurstOfMoreDatagramsThanTheCapAndStillReleaseEverything() {
        EmbeddedChannel channel = channel();
        int datagrams = 0;
        while (datagrams <= VxlanDatagramHandler.MAX_HELD) {
            // Small datagrams: the count reaches its cap long before the memory does.
            readGroBatch(channel, 64, 100);
            datagrams += 64;
        }
        channel.pipeline().fireChannelReadComplete();

        assertEquals(List.of(VxlanDatagramHandler.MAX_HELD, datagrams - VxlanDatagramHandler.MAX_HELD), burst.sizes,
            "cut once at the cap, then ended by the read loop");
        assertEquals(datagrams, burst.heldAtEnd);
        assertAllReleased();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldCutABurstOfWholeReadBuffersByTheMemoryItKeeps() {
        EmbeddedChannel channel = channel();
        int perBuffer = 65536;
        int buffers = (int) (VxlanDatagramHandler.MAX_HELD_BYTES / perBuffer);
        for (int i = 0; i < buffers + 1; i++) {
            // NIO and io_uring read each datagram into a buffer of its own, sized for the largest one.
            ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(perBuffer, perBuffer);
            buffer.writeZero(DATAGRAM);
            burst.received.add(buffer);
            all.add(buffer);
            channel.pipeline().fireChannelRead(new DatagramPacket(buffer, LOCAL, PEER));
        }
        channel.pipeline().fireChannelReadComplete();

        assertEquals(List.of(buffers, 1), burst.sizes, "cut before a buffer that would pass the memory cap");
        assertEquals(buffers + 1, burst.heldAtEnd);
        assertAllReleased();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldCountTheReceiveBufferADatagramKeepsAliveNotTheDatagram() {
        EmbeddedChannel channel = channel();
        // Epoll without GRO reads up to 4 datagrams per recvmmsg into one buffer of four 64 KiB slots: small
        // datagrams, but each read keeps 256 KiB alive until the burst ends.
        int readBytes = 4 * 65536;
        int reads = (int) (VxlanDatagramHandler.MAX_HELD_BYTES / readBytes);
        for (int read = 0; read < reads + 1; read++) {
            readInto(channel, readBytes, 4, 100);
        }
        channel.pipeline().fireChannelReadComplete();

        assertEquals(List.of(4 * reads, 4), burst.sizes, "cut between reads, before one that would pass the cap");
        assertAllReleased();
        channel.finishAndReleaseAll();
    }

    /**
     * The pooled allocator frees a chunk that emptied after it had been more than a quarter used, and the next
     * burst pays for a new zeroed one: a burst must stay below a quarter of a chunk.
     */
    @Test
    void shouldKeepABurstBelowAQuarterOfThePooledAllocatorsChunk() {
        long chunk = PooledByteBufAllocator.DEFAULT.metric().chunkSize();
        assertTrue(VxlanDatagramHandler.MAX_HELD_BYTES < chunk / 4,
            VxlanDatagramHandler.MAX_HELD_BYTES + " bytes per burst against chunks of " + chunk);
    }
}
