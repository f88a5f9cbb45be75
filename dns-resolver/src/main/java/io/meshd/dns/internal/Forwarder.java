package io.meshd.dns.internal;

import io.meshd.dns.DnsCounters;
import io.meshd.dns.Rcode;
import io.meshd.net.IoTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends queries the mesh cannot answer to upstream resolvers, in order, and relays their answers. Each attempt uses
 * a fresh socket with a kernel-chosen random port and a random query ID (RFC 5452); a cap bounds how many queries
 * are in flight.
 */
public final class Forwarder {

    final List<InetSocketAddress> upstreams;
    final long timeoutNanos;
    final IoTransport transport;
    final Executor socketOpener;
    final DnsCounters counters;
    final SecureRandom random = new SecureRandom();
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param upstreams resolvers to try, in order
     * @param timeout how long to wait for each attempt
     * @param maxInFlight the most forwarded queries at once; beyond it clients get SERVFAIL
     * @param transport the socket implementation
     * @param socketOpener runs socket creation (on a thread in the right network namespace)
     * @param counters where to count
     */
    public Forwarder(List<InetSocketAddress> upstreams, Duration timeout, int maxInFlight, IoTransport transport,
                     Executor socketOpener, DnsCounters counters) {
        this.upstreams = List.copyOf(upstreams);
        this.timeoutNanos = timeout.toNanos();
        this.maxInFlight = maxInFlight;
        this.transport = transport;
        this.socketOpener = socketOpener;
        this.counters = counters;
    }

    /** Whether there is anyone to forward to. */
    public boolean enabled() {
        return !upstreams.isEmpty();
    }

    /**
     * Forwards a query.
     *
     * @param query the client's query; not released (it is copied once, if it is forwarded at all)
     * @param loop the client channel's event loop: every step of the forwarding runs on it
     * @param reply where the answer goes
     */
    void forward(ByteBuf query, EventLoop loop, ClientReply reply) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            counters.forward(DnsCounters.Forward.OVER_CAPACITY);
            reply.fail(Rcode.SERVFAIL, query);
            return;
        }
        // The one copy of a forwarded query: the client's buffer is released when its read ends, and retaining it
        // instead would pin a whole receive batch (up to 64 queries with recvmmsg) for as long as forwarding lasts.
        // The copy is rewritten in place (the ID of each attempt) and serves our own answer if forwarding fails.
        ByteBuf copy = query.alloc().directBuffer(query.readableBytes());
        copy.writeBytes(query, query.readerIndex(), query.readableBytes());
        new ForwardedQuery(this, copy, loop, reply).start();
    }

    /** Called once per forwarded query when it is over. */
    void finished() {
        inFlight.decrementAndGet();
    }

    /** Forwarded queries in flight now. */
    public int inFlight() {
        return inFlight.get();
    }
}
