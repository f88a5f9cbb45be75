package io.meshd.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Fixtures;
import io.meshd.dns.Rcode;
import io.meshd.dns.ResourceRecord;
import io.meshd.net.IoTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The whole query path on an {@link EmbeddedChannel}: bytes in through the real UDP handler (and the processor over
 * TCP, with forwarding on), bytes out, checked against {@link ReplyCheck}, the counters and the buffers. One
 * instance serves any number of inputs (its channel and processors are reused, as on an event loop).
 */
final class QueryPathHarness {

    static final int MAX_UDP = 1232;
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

    private final DnsCounters counters = new DnsCounters();
    private final TrackingAllocator allocator = new TrackingAllocator();
    private final EmbeddedChannel udp;
    private final QueryProcessor forwardingProcessor;

    /** The real handler. */
    QueryPathHarness() {
        this((responder, forwarder) -> new UdpQueryHandler(responder, forwarder));
    }

    /** Another UDP handler in place of the real one (to show the checks catch a broken one). */
    QueryPathHarness(BiFunction<Responder, Forwarder, ChannelHandler> udpHandler) {
        Forwarder none = new Forwarder(List.of(), Duration.ofSeconds(1), 1, IoTransport.NIO, Runnable::run,
            counters);
        udp = new EmbeddedChannel();
        udp.config().setAllocator(allocator);
        udp.pipeline().addLast(udpHandler.apply(responder(false), none));
        forwardingProcessor = new QueryProcessor(responder(true));
    }

    private Responder responder(boolean forwarding) {
        return new Responder(Fixtures.source().view(Set.of("front")), Optional.of(WireNames.toWire("mesh")),
            ResourceRecord.soa("ns.mesh", "hostmaster.mesh", 1, 3600, 600, 86400, 30, 30), MAX_UDP, forwarding,
            600, counters);
    }

    DnsCounters counters() {
        return counters;
    }

    /** Runs one packet through every path and checks everything; throws AssertionError on the first problem. */
    void check(byte[] packet) {
        checkUdpHandler(packet);
        checkProcessor(packet, true);
        checkProcessor(packet, false);
    }

    private long answers() {
        long n = 0;
        for (Rcode r : Rcode.values()) {
            n += counters.answers(r);
        }
        return n;
    }

    private long drops() {
        long n = 0;
        for (DnsCounters.Drop d : DnsCounters.Drop.values()) {
            n += counters.drops(d);
        }
        return n;
    }

    /** UDP through the handler: one reply or one counted drop, nothing thrown, every buffer released. */
    void checkUdpHandler(byte[] packet) {
        long answersBefore = answers();
        long dropsBefore = drops();
        long errorsBefore = counters.drops(DnsCounters.Drop.CHANNEL_ERROR);
        ByteBuf content = allocator.directBuffer(packet.length).writeBytes(packet);
        udp.writeInbound(new DatagramPacket(content, SERVER, CLIENT));
        udp.checkException();
        assertEquals(errorsBefore, counters.drops(DnsCounters.Drop.CHANNEL_ERROR), "no exception on the query path");
        assertNull(udp.readInbound(), "the handler passes nothing on");
        DatagramPacket reply = udp.readOutbound();
        try {
            assertNull(udp.readOutbound(), "one reply at most");
            long answered = answers() - answersBefore;
            long dropped = drops() - dropsBefore;
            assertEquals(1, answered + dropped, "each packet is answered or counted as a drop, once");
            assertEquals(answered == 1, reply != null, "a reply is sent exactly when an answer is counted");
            if (reply != null) {
                assertEquals(CLIENT, reply.recipient());
                ReplyCheck.check(packet, ByteBufUtil.getBytes(reply.content()), false, MAX_UDP);
            }
        } finally {
            if (reply != null) {
                reply.release();
            }
        }
        allocator.assertAllReleased("one packet through the UDP handler");
    }

    /** The processor with forwarding on: answered, dropped or handed to the forwarder, and our own answers then. */
    void checkProcessor(byte[] packet, boolean tcp) {
        ByteBuf in = Unpooled.wrappedBuffer(packet);
        ByteBuf out = Unpooled.buffer(64);
        long answersBefore = answers();
        long dropsBefore = drops();
        try {
            QueryOutcome outcome = forwardingProcessor.handle(in, out, tcp);
            assertEquals(0, in.readerIndex(), "the query is not consumed");
            long answered = answers() - answersBefore;
            long dropped = drops() - dropsBefore;
            switch (outcome) {
                case ANSWERED:
                    assertEquals(1, answered, "an answer is counted");
                    ReplyCheck.check(packet, ByteBufUtil.getBytes(out), tcp, MAX_UDP);
                    break;
                case DROPPED:
                    assertEquals(1, dropped, "a drop is counted");
                    assertEquals(0, out.readableBytes(), "a drop writes nothing");
                    break;
                default:
                    assertEquals(0, answered + dropped, "a forwarded query is not answered yet");
                    assertEquals(0, out.readableBytes(), "a forwarded query writes nothing");
                    checkOwnAnswers(packet, in, tcp);
                    break;
            }
        } finally {
            in.release();
            out.release();
        }
    }

    /** What the client gets when forwarding fails (SERVFAIL) or the upstream's answer is too large (TC). */
    private void checkOwnAnswers(byte[] packet, ByteBuf in, boolean tcp) {
        for (boolean tc : new boolean[] {false, true}) {
            ByteBuf out = Unpooled.buffer(64);
            try {
                forwardingProcessor.respond(in, out, tcp, tc ? Rcode.NOERROR : Rcode.SERVFAIL, tc);
                byte[] reply = ByteBufUtil.getBytes(out);
                ReplyCheck.check(packet, reply, tcp, MAX_UDP);
                assertTrue(tc == ((reply[2] & 0x02) != 0), "TC as asked");
                assertEquals(tc ? 0 : 2, reply[3] & 0xF, "RCODE as asked");
            } finally {
                out.release();
            }
        }
    }
}
