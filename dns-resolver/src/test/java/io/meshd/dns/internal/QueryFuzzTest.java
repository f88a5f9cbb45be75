package io.meshd.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Fixtures;
import io.meshd.dns.ResourceRecord;
import io.meshd.dns.Wire;
import io.meshd.net.IoTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Hostile input on the query path: random packets and valid queries with bytes flipped, cut or appended. Whatever
 * comes in, nothing escapes, and the outcome is a drop, a forward, or a structurally sound response with the
 * query's ID, QR set and within the size limit.
 */
class QueryFuzzTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
    private static final List<String> NAMES = List.of("web", "tasks.web", "rr", "web.front.mesh", "nope.mesh",
        "mesh", "3.1.0.10.in-addr.arpa", "_http._tcp.web", "localhost", "example.com", "front.mesh");
    private static final List<Integer> TYPES = List.of(1, 28, 12, 33, 6, 255, 16, 252);

    private final DnsCounters counters = new DnsCounters();
    private final Responder forwarding = responder(true);
    private final Responder local = responder(false);
    private final QueryProcessor processor = new QueryProcessor(forwarding);

    private Responder responder(boolean forward) {
        return new Responder(Fixtures.source().view(Set.of("front")), Optional.of(WireNames.toWire("mesh")),
            ResourceRecord.soa("ns.mesh", "hostmaster.mesh", 1, 3600, 600, 86400, 30, 30), 1232, forward, 600,
            counters);
    }

    @Provide
    Arbitrary<byte[]> validQueries() {
        return Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of(TYPES), Arbitraries.integers().between(0,
            65535), Arbitraries.of(-1, 0, 512, 1232, 4096), Arbitraries.integers().between(0, 1))
            .as((name, type, id, payload, version) -> {
                Wire.Query q = Wire.query(name, type).id(id);
                if (payload >= 0) {
                    q.edns(payload).ednsVersion(version);
                }
                return q.bytes();
            });
    }

    @Provide
    Arbitrary<byte[]> mutatedQueries() {
        return validQueries().flatMap(q -> Arbitraries.integers().between(0, 3).flatMap(kind -> {
            switch (kind) {
                case 0:
                    return Arbitraries.integers().between(0, q.length).map(n -> java.util.Arrays.copyOf(q, n));
                case 1:
                    return Combinators.combine(Arbitraries.integers().between(0, q.length - 1),
                        Arbitraries.integers().between(0, 255)).as((at, v) -> {
                            byte[] c = q.clone();
                            c[at] = (byte) (int) v;
                            return c;
                        });
                case 2:
                    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(tail -> {
                        byte[] c = java.util.Arrays.copyOf(q, q.length + tail.length);
                        System.arraycopy(tail, 0, c, q.length, tail.length);
                        return c;
                    });
                default:
                    return Arbitraries.integers().between(4, 11).map(at -> {
                        // Header counts are where parsers are most easily fooled.
                        byte[] c = q.clone();
                        c[at] = (byte) 0xFF;
                        return c;
                    });
            }
        }));
    }

    @Property(tries = 2000)
    void shouldSurviveRandomPackets(@ForAll @Size(max = 600) byte[] packet) {
        check(packet, false);
        check(packet, true);
    }

    @Property(tries = 3000)
    void shouldSurviveMutatedQueries(@ForAll("mutatedQueries") byte[] packet) {
        check(packet, false);
        check(packet, true);
    }

    @Property(tries = 1000)
    void shouldNeverLeakThroughTheUdpHandler(@ForAll("mutatedQueries") byte[] packet) {
        EmbeddedChannel ch = new EmbeddedChannel(new UdpQueryHandler(local,
            new Forwarder(List.of(), Duration.ofSeconds(1), 1, IoTransport.NIO, Runnable::run, counters)));
        try {
            ch.writeInbound(new DatagramPacket(Unpooled.copiedBuffer(packet), SERVER, CLIENT));
            DatagramPacket answer = ch.readOutbound();
            if (answer != null) {
                try {
                    assertEquals(CLIENT, answer.recipient());
                    assertWellFormed(packet, answer.content(), 1232);
                } finally {
                    answer.release();
                }
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private void check(byte[] packet, boolean tcp) {
        ByteBuf in = Unpooled.wrappedBuffer(packet);
        ByteBuf out = Unpooled.directBuffer(64);
        try {
            QueryOutcome verdict = processor.handle(in, out, tcp);
            assertEquals(0, in.readerIndex(), "the query is not consumed");
            if (verdict == QueryOutcome.ANSWERED) {
                assertWellFormed(packet, out, tcp ? 65535 : 1232);
            } else {
                assertEquals(0, out.readableBytes());
                assertTrue(verdict == QueryOutcome.DROPPED || verdict == QueryOutcome.FORWARD);
            }
        } finally {
            in.release();
            out.release();
        }
    }

    private static void assertWellFormed(byte[] query, ByteBuf answer, int limit) {
        assertTrue(answer.readableBytes() <= limit, "answer within " + limit + " bytes");
        assertEquals(((query[0] & 0xFF) << 8) | (query[1] & 0xFF), answer.getUnsignedShort(0));
        assertTrue((answer.getUnsignedByte(2) & 0x80) != 0, "QR set");
        Wire.checkStructure(answer);
    }
}
