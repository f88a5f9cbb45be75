package io.meshd.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Hostile input on the query path, fuzzed by Jazzer (seed corpus in {@code QueryFuzzTestInputs/<method>/}; a plain
 * build replays it, {@code JAZZER_FUZZ=1} explores from it). Whatever comes in: the decoder agrees with Netty's
 * independent decoder on every question it accepts, and the whole path answers well-formed replies or counts a
 * drop, throws nothing and releases every buffer.
 */
class QueryFuzzTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 53);
    private static final QueryPathHarness HARNESS = new QueryPathHarness();

    @BeforeAll
    static void listenForLeaks() {
        LeakReports.install();
    }

    @AfterAll
    static void noLeaks() {
        assertTrue(LeakReports.paranoid(), "surefire runs Netty's leak detector at the paranoid level");
        LeakReports.assertNone();
    }

    /** The whole query path: a reply that parses and echoes the query, or a counted drop; no leak. */
    @FuzzTest
    void shouldAnswerWellOrCountADrop(byte[] packet) {
        HARNESS.check(packet);
    }

    /** The decoder alone: a verdict for every message, and the question it accepts is the one Netty reads. */
    @FuzzTest
    void shouldDecodeOrRejectAnyMessage(byte[] message) {
        ByteBuf in = Unpooled.wrappedBuffer(message);
        DecodedQuery query = new DecodedQuery();
        DecodeResult result = QueryDecoder.decode(in, query);
        assertEquals(0, in.readerIndex(), "the message is not consumed");
        if (message.length < DecodedQuery.HEADER_LENGTH) {
            assertEquals(DecodeResult.TOO_SHORT, result);
            return;
        }
        if ((message[2] & 0x80) != 0) {
            assertEquals(DecodeResult.NOT_A_QUERY, result);
            return;
        }
        if (result == DecodeResult.QUERY || result == DecodeResult.BAD_VERSION) {
            assertTrue(query.hasQuestion(), "an accepted query has a question");
            assertTrue(query.qnameLength <= WireNames.MAX_NAME_LENGTH, "names fit 255 bytes");
            assertTrue(query.questionEnd <= message.length, "the question lies inside the message");
            if (printable(query)) {
                assertSameQuestionAsNetty(message, query);
            }
        }
        assertFalse(result == DecodeResult.QUERY && query.edns && query.ednsVersion > 0, "EDNS > 0 is BADVERS");
    }

    /**
     * Netty decodes the header and question alone (our decoder skips records it does not need to read). Only for
     * printable names: Netty passes names through IDNA, which refuses binary labels that DNS itself allows.
     */
    private static void assertSameQuestionAsNetty(byte[] message, DecodedQuery ours) {
        byte[] questionOnly = Arrays.copyOf(message, ours.questionEnd);
        Arrays.fill(questionOnly, 6, 12, (byte) 0);
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsQueryDecoder());
        try {
            ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(questionOnly), PEER, PEER));
            DnsQuery netty = ch.readInbound();
            try {
                DnsQuestion q = netty.recordAt(DnsSection.QUESTION);
                assertEquals(ours.qtype, q.type().intValue(), "QTYPE");
                assertEquals(ours.qclass, q.dnsClass(), "QCLASS");
                String dotted = WireNames.toDotted(ours.qname, 0);
                assertEquals(dotted.equals(".") ? "." : dotted + ".", q.name().toLowerCase(Locale.ROOT));
            } finally {
                netty.release();
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Whether every label byte is printable ASCII other than the dot (so both dotted forms are unambiguous). */
    private static boolean printable(DecodedQuery query) {
        int i = 0;
        while (query.qname[i] != 0) {
            int len = query.qname[i] & 0xFF;
            for (int k = 1; k <= len; k++) {
                byte b = query.qname[i + k];
                if (b <= 0x20 || b >= 0x7F || b == '.') {
                    return false;
                }
            }
            i += len + 1;
        }
        return true;
    }
}
