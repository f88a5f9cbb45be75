package io.meshd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.dns.internal.Forwarder;
import io.meshd.dns.internal.Responder;
import io.meshd.dns.internal.WireNames;
import io.meshd.harness.LabRequirement;
import io.meshd.net.IoTransport;
import io.meshd.shims.CpuSteering;
import io.meshd.shims.internal.Native;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The UDP sockets of one listener are steered by CPU (SO_ATTACH_REUSEPORT_CBPF): a query sent from a thread pinned
 * to CPU k is read by socket {@code k % sockets}, whatever its source port. All queries come from one client socket,
 * so the kernel's 4-tuple hash alone would send them all to the same socket and fail the check for one of the CPUs.
 */
class CpuSteeringTest {

    private static final int SOCKETS = 2;
    private static final int QUERIES = 20;
    private static final int TIMEOUT_MILLIS = 5_000;

    /** Counts the datagrams one listener socket reads, then passes them on to the query handler. */
    @ChannelHandler.Sharable
    private static final class Counter extends ChannelInboundHandlerAdapter {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads.incrementAndGet();
            ctx.fireChannelRead(msg);
        }
    }

    @Test
    void aQueryIsReadBySocketOfTheSendersCpu() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        // One CPU cannot show steering, in CI or not: every packet is processed on CPU 0.
        Assumptions.assumeTrue(cpus >= 2, "this machine gives the JVM 1 CPU: steering by CPU needs 2 or more");
        LabRequirement.require(IoTransport.EPOLL.isAvailable(), "epoll is not available here");
        LabRequirement.require(Native.loadFailure().isEmpty(), "jnr-ffi cannot bind libc here");

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(SOCKETS, IoTransport.EPOLL.ioHandlerFactory());
        ExecutorService sender = Executors.newSingleThreadExecutor();
        List<Channel> channels = new ArrayList<>();
        try {
            DnsCounters counters = new DnsCounters();
            Forwarder none = new Forwarder(List.of(), Duration.ofSeconds(1), 1, IoTransport.EPOLL, Runnable::run,
                counters);
            ListenerBinder binder = new ListenerBinder(group, IoTransport.EPOLL, SOCKETS, none, counters,
                TimeUnit.SECONDS.toNanos(10), 16);
            Responder responder = new Responder(Fixtures.source().view(Set.of("front")),
                Optional.of(WireNames.toWire("mesh")), ResourceRecord.soa("ns.mesh", "hostmaster.mesh", 1, 3600, 600,
                86400, 30, 300), 1232, false, 600, counters, List.of());
            InetSocketAddress address = binder.bind(new InetSocketAddress("127.0.0.1", 0), responder, Runnable::run,
                channels);
            List<Counter> counts = new ArrayList<>();
            for (Channel ch : channels.subList(0, SOCKETS)) {
                Counter c = new Counter();
                ch.pipeline().addFirst(c);
                counts.add(c);
            }
            byte[] query = Wire.query("web.front", 1).bytes();
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                client.setSoTimeout(TIMEOUT_MILLIS);
                for (int cpu = 0; cpu < SOCKETS; cpu++) {
                    int k = cpu;
                    int ran = CompletableFuture.supplyAsync(() -> {
                        CpuSteering.pinCurrentThread(k);
                        try {
                            byte[] answer = new byte[512];
                            for (int i = 0; i < QUERIES; i++) {
                                client.send(new DatagramPacket(query, query.length, address));
                                // Wait for each answer: the query was read by then.
                                client.receive(new DatagramPacket(answer, answer.length));
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        return CpuSteering.currentCpu();
                    }, sender).get(30, TimeUnit.SECONDS);
                    assertEquals(k, ran, "the sender thread was pinned to CPU " + k);
                    int expected = k % SOCKETS;
                    assertEquals(QUERIES, counts.get(expected).reads.get(),
                        "queries sent from CPU " + k + " are read by socket " + expected + "; reads per socket: "
                            + reads(counts));
                    counts.forEach(c -> c.reads.set(0));
                }
            }
            assertTrue(channels.size() > SOCKETS, "the TCP listener is bound too");
        } finally {
            sender.shutdownNow();
            ListenerBinder.closeAll(channels);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static List<Integer> reads(List<Counter> counts) {
        List<Integer> r = new ArrayList<>();
        counts.forEach(c -> r.add(c.reads.get()));
        return r;
    }
}
