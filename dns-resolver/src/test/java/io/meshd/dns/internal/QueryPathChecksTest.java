package io.meshd.dns.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The checks the fuzz targets and the seeded properties rely on, shown to fail against broken replies and broken
 * handlers (mutants): a check that cannot fail would let the fuzzer pass anything.
 */
class QueryPathChecksTest {

    private static final byte[] QUERY = Wire.query("tasks.web", 1).bytes();

    private static byte[] goodReply() {
        QueryPathHarness harness = new QueryPathHarness();
        ByteBuf out = Unpooled.buffer();
        try {
            QueryProcessor p = new QueryProcessor(new Responder(io.meshd.dns.Fixtures.source().view(
                java.util.Set.of("front")), java.util.Optional.empty(), io.meshd.dns.ResourceRecord.soa("ns.mesh",
                "hostmaster.mesh", 1, 3600, 600, 86400, 30, 30), 1232, false, 600, harness.counters()));
            p.handle(Unpooled.wrappedBuffer(QUERY), out, false);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static void assertCaught(Consumer<byte[]> mutation) {
        byte[] reply = goodReply();
        mutation.accept(reply);
        assertThrows(AssertionError.class, () -> ReplyCheck.check(QUERY, reply, false, 1232));
    }

    @Test
    void shouldAcceptTheRealReply() {
        ReplyCheck.check(QUERY, goodReply(), false, 1232);
    }

    @Test
    void shouldCatchAWrongId() {
        assertCaught(r -> r[1] ^= 1);
    }

    @Test
    void shouldCatchAReplyWithoutQr() {
        assertCaught(r -> r[2] &= 0x7F);
    }

    @Test
    void shouldCatchAChangedQuestion() {
        assertCaught(r -> r[13] = 'W');
    }

    @Test
    void shouldCatchATruncatedReplyThatKeepsItsAnswers() {
        assertCaught(r -> r[2] |= 0x02);
    }

    @Test
    void shouldCatchAMiscountedSection() {
        assertCaught(r -> r[7] += 1);
    }

    @Test
    void shouldCatchAnOversizedUdpReplyWithoutEdns() {
        byte[] big = Arrays.copyOf(goodReply(), 600);
        assertThrows(AssertionError.class, () -> ReplyCheck.check(QUERY, big, false, 1232));
    }

    @Test
    void shouldCatchAHandlerThatSwallowsQueriesUncounted() {
        QueryPathHarness harness = new QueryPathHarness((r, f) -> new Swallow(true));
        AssertionError e = assertThrows(AssertionError.class, () -> harness.checkUdpHandler(QUERY));
        assertTrue(e.getMessage().contains("answered or counted"), e.getMessage());
    }

    @Test
    void shouldCatchAHandlerThatLeaksItsInput() {
        QueryPathHarness harness = new QueryPathHarness((r, f) -> new Swallow(false) {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                r.counters().drop(io.meshd.dns.DnsCounters.Drop.TOO_SHORT);
            }
        });
        AssertionError e = assertThrows(AssertionError.class, () -> harness.checkUdpHandler(QUERY));
        assertTrue(e.getMessage().contains("still referenced"), e.getMessage());
    }

    @Test
    void shouldCatchAHandlerThatEchoesTheQuery() {
        QueryPathHarness harness = new QueryPathHarness((r, f) -> new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                DatagramPacket p = (DatagramPacket) msg;
                r.counters().stripe().answer(io.meshd.dns.Rcode.NOERROR);
                ctx.writeAndFlush(new DatagramPacket(p.content(), p.sender()));
            }
        });
        AssertionError e = assertThrows(AssertionError.class, () -> harness.checkUdpHandler(QUERY));
        assertTrue(e.getMessage().contains("QR=1"), e.getMessage());
    }

    /** A broken handler: releases the packet and does nothing else. */
    @ChannelHandler.Sharable
    private static class Swallow extends ChannelInboundHandlerAdapter {
        private final boolean release;

        Swallow(boolean release) {
            this.release = release;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (release) {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
