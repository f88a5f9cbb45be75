package io.meshd.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Fixtures;
import io.meshd.dns.ResourceRecord;
import io.meshd.dns.Wire;
import io.meshd.net.IoTransport;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the forwarding path copies: the query at most once, TCP-framed messages never. */
class ForwardingBuffersTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

    /** Counts the buffers it hands out; a copy of a buffer it made comes from it too ({@code ByteBuf.alloc()}). */
    private static final class CountingAllocator extends AbstractByteBufAllocator {
        int buffers;

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            buffers++;
            return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            buffers++;
            return new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    @Test
    void shouldAnswerAQueryOverTheForwardingCapWithoutCopyingIt() {
        DnsCounters counters = new DnsCounters();
        Responder responder = new Responder(Fixtures.source().view(Set.of("front")),
            Optional.of(WireNames.toWire("mesh")),
            ResourceRecord.soa("ns.mesh", "hostmaster.mesh", 1, 3600, 600, 86400, 30, 30), 1232, true, 600,
            counters);
        Forwarder full = new Forwarder(List.of(new InetSocketAddress("127.0.0.1", 9)), Duration.ofSeconds(1), 0,
            IoTransport.NIO, Runnable::run, counters);
        EmbeddedChannel ch = new EmbeddedChannel(new UdpQueryHandler(responder, full));
        CountingAllocator alloc = new CountingAllocator();
        ByteBuf query = alloc.heapBuffer().writeBytes(Wire.query("far.example", 1).id(0x1234).bytes());
        alloc.buffers = 0;
        try {
            ch.writeInbound(new DatagramPacket(query, SERVER, CLIENT));
            DatagramPacket answer = ch.readOutbound();
            try {
                assertEquals(0x1234, answer.content().getUnsignedShort(0));
                assertEquals(2, answer.content().getUnsignedByte(3) & 0xF, "SERVFAIL");
            } finally {
                answer.release();
            }
            assertEquals(0, alloc.buffers, "the query was copied");
            assertEquals(1, counters.forwards(DnsCounters.Forward.OVER_CAPACITY));
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void shouldPrefixTheLengthForTcpWithoutCopyingTheMessage() {
        CountingAllocator alloc = new CountingAllocator();
        ByteBuf message = UnpooledByteBufAllocator.DEFAULT.directBuffer(300).writeZero(300).setByte(299, 7);
        ByteBuf framed = TcpFraming.prefixed(alloc, message);
        try {
            assertEquals(302, framed.readableBytes());
            assertEquals(300, framed.getUnsignedShort(0));
            assertEquals(7, framed.getByte(301));
            message.setByte(299, 9);
            assertEquals(9, framed.getByte(301), "the framed message shares the original's memory");
            assertEquals(1, alloc.buffers, "only the two-byte prefix is allocated");
        } finally {
            framed.release();
        }
        assertEquals(0, message.refCnt());
    }
}
