package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Rcode;
import io.meshd.net.IoTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One query on its way through the upstreams: UDP to each server in turn, over TCP to the same server when its
 * answer is truncated. Every method runs on the client's event loop, so the state needs no locking.
 */
final class ForwardedQuery {

    private static final int FLAG_TC = 0x0200;
    private static final int MAX_TCP_MESSAGE = 65535;

    private final Forwarder forwarder;
    private final ByteBuf query;
    private final EventLoop loop;
    private final ClientReply reply;
    private final int clientId;
    private final int questionEnd;
    private int server;
    private int attempt;
    private int queryId;
    private Channel channel;
    private ScheduledFuture<?> timer;
    private boolean done;

    ForwardedQuery(Forwarder forwarder, ByteBuf query, EventLoop loop, ClientReply reply) {
        this.forwarder = forwarder;
        this.query = query;
        this.loop = loop;
        this.reply = reply;
        this.clientId = query.getUnsignedShort(0);
        this.questionEnd = questionEnd(query);
    }

    /** The offset after the question of a query the processor has already validated. */
    private static int questionEnd(ByteBuf q) {
        int pos = DecodedQuery.HEADER_LENGTH;
        int len;
        while ((len = q.getUnsignedByte(pos)) != 0) {
            pos += len + 1;
        }
        return pos + 5;
    }

    void start() {
        sendUdp(0);
    }

    private void sendUdp(int index) {
        if (index >= forwarder.upstreams.size()) {
            forwarder.counters.forward(DnsCounters.Forward.EXHAUSTED);
            finish();
            query.setShort(0, clientId);
            reply.fail(Rcode.SERVFAIL, query);
            query.release();
            return;
        }
        server = index;
        open(false);
    }

    /** Opens a fresh socket (on the namespace thread), registers it on our loop, connects and sends. */
    private void open(boolean tcp) {
        int myAttempt = ++attempt;
        queryId = forwarder.random.nextInt(0x10000);
        query.setShort(0, queryId);
        forwarder.counters.forward(tcp ? DnsCounters.Forward.RETRIED_OVER_TCP : DnsCounters.Forward.SENT);
        long timeout = forwarder.timeoutNanos;
        timer = loop.schedule(() -> timedOut(myAttempt), timeout, TimeUnit.NANOSECONDS);
        forwarder.socketOpener.execute(() -> {
            Channel ch;
            try {
                ch = tcp ? forwarder.transport.newSocketChannel() : forwarder.transport.newDatagramChannel();
            } catch (RuntimeException e) {
                loop.execute(() -> attemptFailed(myAttempt));
                return;
            }
            if (tcp) {
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_TCP_MESSAGE + 2, 0, 2, 0, 2));
            }
            ch.pipeline().addLast(new Answers(myAttempt));
            loop.register(ch).addListener(registered -> {
                if (!registered.isSuccess() || isStale(myAttempt)) {
                    ch.close();
                    if (!registered.isSuccess()) {
                        attemptFailed(myAttempt);
                    }
                    return;
                }
                channel = ch;
                ch.connect(forwarder.upstreams.get(server)).addListener(connected -> {
                    if (!connected.isSuccess()) {
                        attemptFailed(myAttempt);
                        return;
                    }
                    ByteBuf out = query.retainedDuplicate();
                    ch.writeAndFlush(tcp ? TcpFraming.prefixed(ch.alloc(), out) : out);
                });
            });
        });
    }

    private boolean isStale(int myAttempt) {
        return done || myAttempt != attempt;
    }

    private void timedOut(int myAttempt) {
        if (isStale(myAttempt)) {
            return;
        }
        forwarder.counters.forward(DnsCounters.Forward.TIMEOUT);
        nextServer();
    }

    private void attemptFailed(int myAttempt) {
        if (isStale(myAttempt)) {
            return;
        }
        forwarder.counters.forward(DnsCounters.Forward.UPSTREAM_FAILED);
        nextServer();
    }

    private void nextServer() {
        int next = server + 1;
        afterClose(() -> sendUdp(next));
    }

    /**
     * Closes the attempt's socket and only then, on a later turn of the loop, runs {@code next}. Opening the next
     * socket while the old one is still being closed from inside its own read lets the kernel hand out the same
     * descriptor number before epoll has let go of the old one, and answers then reach the wrong channel.
     */
    private void afterClose(Runnable next) {
        Channel old = channel;
        // Whatever the old socket still delivers is stale from now on.
        attempt++;
        closeAttempt();
        if (old == null) {
            next.run();
        } else {
            old.closeFuture().addListener(closed -> loop.execute(() -> {
                if (!done) {
                    next.run();
                }
            }));
        }
    }

    private void closeAttempt() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (channel != null) {
            Channel c = channel;
            channel = null;
            // Deregister first, close after: the epoll loop keys registrations by descriptor number, and a
            // descriptor closed while still registered can be handed to the next attempt's socket before the old
            // registration is dropped, which then takes the new socket's registration with it (answers lost).
            // io_uring closes through the ring, so its channels must stay registered until closed.
            if (forwarder.transport == IoTransport.EPOLL) {
                c.deregister().addListener(deregistered -> c.close());
            } else {
                c.close();
            }
        }
    }

    /** Ends forwarding; the caller answers the client from {@link #query} and then releases it. */
    private void finish() {
        done = true;
        closeAttempt();
        forwarder.finished();
    }

    /** An answer arrived on the attempt's socket. */
    private void answer(int myAttempt, ByteBuf answer, boolean tcp) {
        if (isStale(myAttempt) || !matches(answer)) {
            forwarder.counters.drop(DnsCounters.Drop.UNEXPECTED_UPSTREAM_ANSWER);
            return;
        }
        int flags = answer.getUnsignedShort(answer.readerIndex() + 2);
        int rcode = flags & 0xF;
        if (!tcp && (flags & FLAG_TC) != 0) {
            afterClose(() -> open(true));
            return;
        }
        if (rcode == Rcode.SERVFAIL.value() || rcode == Rcode.REFUSED.value()) {
            forwarder.counters.forward(DnsCounters.Forward.UPSTREAM_FAILED);
            nextServer();
            return;
        }
        // Relay the upstream's bytes untouched but for the ID, rewritten in place in the buffer they arrived in
        // (ours: the read handler releases its reference after us): re-encoding would break their compression.
        answer.retain().setShort(answer.readerIndex(), clientId);
        forwarder.counters.forward(DnsCounters.Forward.RELAYED);
        finish();
        query.setShort(0, clientId);
        reply.relay(answer, query);
        query.release();
    }

    /** RFC 5452: the ID and the question must be the ones we sent (names compared without case). */
    private boolean matches(ByteBuf answer) {
        int start = answer.readerIndex();
        if (answer.readableBytes() < questionEnd || answer.getUnsignedShort(start) != queryId
            || (answer.getUnsignedByte(start + 2) & 0x80) == 0 || answer.getUnsignedShort(start + 4) != 1) {
            return false;
        }
        for (int i = DecodedQuery.HEADER_LENGTH; i < questionEnd; i++) {
            int a = query.getUnsignedByte(i);
            int b = answer.getUnsignedByte(start + i);
            if (a != b && Character.toLowerCase(a) != Character.toLowerCase(b)) {
                return false;
            }
        }
        return true;
    }

    /** Reads answers from one attempt's socket. */
    private final class Answers extends ChannelInboundHandlerAdapter {
        private final int myAttempt;

        Answers(int myAttempt) {
            this.myAttempt = myAttempt;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof DatagramPacket) {
                    answer(myAttempt, ((DatagramPacket) msg).content(), false);
                } else if (msg instanceof ByteBuf) {
                    answer(myAttempt, (ByteBuf) msg, true);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // A TCP upstream that hangs up before answering counts as a failed attempt.
            if (ctx.channel() == channel) {
                attemptFailed(myAttempt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and friends surface here: move on to the next server.
            forwarder.counters.drop(DnsCounters.Drop.CHANNEL_ERROR);
            if (ctx.channel() == channel) {
                attemptFailed(myAttempt);
            }
        }
    }
}
