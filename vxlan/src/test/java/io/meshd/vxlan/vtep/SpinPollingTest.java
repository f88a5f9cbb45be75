package io.meshd.vxlan.vtep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meshd.net.IoTransport;
import io.meshd.vxlan.fabric.RemoteVtep;
import io.meshd.vxlan.testing.Await;
import io.netty.channel.SelectStrategy;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Spin-then-park of the receive loops: the strategy on a fake clock, then real epoll loops on loopback. */
class SpinPollingTest {

    private static final long BUDGET_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    @Test
    void shouldSpinForTheBudgetAfterActivityThenPark() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        SpinPolling.Spinner s = new SpinPolling.Spinner(BUDGET_NANOS, now::get);
        // Nothing has happened yet: block.
        assertEquals(SelectStrategy.SELECT, s.calculateStrategy(() -> 0, false));
        assertTrue(s.parked);
        // Woken (by a datagram, say): the budget starts now, polls without blocking until it is spent.
        now.addAndGet(5_000);
        assertEquals(3, s.calculateStrategy(() -> 3, false), "ready events are handed over");
        now.addAndGet(BUDGET_NANOS - 1);
        assertEquals(0, s.calculateStrategy(() -> 0, false), "still within the budget: poll again");
        assertEquals(1, s.emptyPolls);
        now.addAndGet(1);
        assertEquals(SelectStrategy.SELECT, s.calculateStrategy(() -> 0, false), "budget spent: block");
        // A wake-up without anything ready (a sender expecting a reply) also starts a budget.
        now.addAndGet(1_000_000);
        assertEquals(0, s.calculateStrategy(() -> 0, false));
        assertTrue(!s.parked);
        now.addAndGet(BUDGET_NANOS);
        assertEquals(SelectStrategy.SELECT, s.calculateStrategy(() -> 0, false));
    }

    @Test
    void shouldNeverBlockWithTasksPending() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        SpinPolling.Spinner s = new SpinPolling.Spinner(BUDGET_NANOS, now::get);
        assertEquals(0, s.calculateStrategy(() -> 0, true));
    }

    @Test
    void aZeroBudgetBlocksAtOnceAndUsesNettysOwnLoop() throws Exception {
        SpinPolling.Spinner s = new SpinPolling.Spinner(0, () -> 5L);
        assertEquals(2, s.calculateStrategy(() -> 2, false));
        assertEquals(SelectStrategy.SELECT, s.calculateStrategy(() -> 0, false));
        assertTrue(!new SpinPolling(0).enabled());
    }

    @Test
    void shouldRefuseBudgetsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> UdpVtep.builder().busyPollMicros(-1));
        assertThrows(IllegalArgumentException.class,
            () -> UdpVtep.builder().busyPollMicros(UdpVtep.MAX_BUSY_POLL_MICROS + 1));
    }

    /**
     * Real epoll loops: an idle VTEP's loop parks (and stays parked: no poll in a hundred budgets), a received
     * datagram makes it spin for a budget, and it parks again once the budget is spent.
     */
    @Test
    void anIdleVtepParksAndADatagramMakesItsLoopSpinForABudget() throws Exception {
        Inet4Address loopback = (Inet4Address) InetAddress.getByName("127.0.0.1");
        int budgetMicros = 200;
        CountDownLatch arrived = new CountDownLatch(1);
        UdpVtep a = UdpVtep.builder().local(loopback).port(0).ephemeralSourcePorts(2).transport(IoTransport.EPOLL)
            .socketBufferBytes(1 << 20).busyPollMicros(budgetMicros).build()
            .start((from, p, o, l) -> arrived.countDown());
        UdpVtep b = UdpVtep.builder().local(loopback).port(0).ephemeralSourcePorts(2).transport(IoTransport.EPOLL)
            .socketBufferBytes(1 << 20).build().start((from, p, o, l) -> { });
        try {
            SpinPolling spin = a.spinPolling();
            assertEquals(1, spin.loops(), "one receive socket, one loop");
            assertEquals(budgetMicros, a.busyPollMicros());
            assertEquals(0, b.busyPollMicros());
            assertTrue(Await.until(() -> spin.parkedLoops() == spin.loops(), Duration.ofSeconds(5)), "loops park");
            long polls = spin.emptyPolls();
            // Idle: nothing wakes the loop, so it does not poll (100 budgets; parked is not spinning).
            assertTrue(!Await.until(() -> spin.emptyPolls() != polls,
                Duration.ofNanos(100 * TimeUnit.MICROSECONDS.toNanos(budgetMicros))), "an idle loop polled");
            byte[] frame = new byte[64];
            b.send(42, RemoteVtep.of(ip(loopback), a.port()), new UnsafeBuffer(frame), 0, frame.length);
            assertTrue(arrived.await(5, TimeUnit.SECONDS), "datagram");
            assertTrue(Await.until(() -> spin.emptyPolls() > polls, Duration.ofSeconds(5)),
                "the datagram made the loop spin");
            assertTrue(Await.until(() -> spin.parkedLoops() == spin.loops(), Duration.ofSeconds(5)),
                "parks again after the budget");
        } finally {
            a.close();
            b.close();
        }
        UdpVtep plain = UdpVtep.builder().local(loopback).port(0).ephemeralSourcePorts(1)
            .transport(IoTransport.EPOLL).socketBufferBytes(1 << 20).build().start((from, p, o, l) -> { });
        try {
            assertEquals(0, plain.spinPolling().loops(), "no budget: Netty's own strategy");
        } finally {
            plain.close();
        }
        UdpVtep nio = UdpVtep.builder().local(loopback).port(0).ephemeralSourcePorts(1).transport(IoTransport.NIO)
            .socketBufferBytes(1 << 20).busyPollMicros(budgetMicros).build().start((from, p, o, l) -> { });
        try {
            assertEquals(0, nio.busyPollMicros(), "only epoll spins");
            assertEquals(0, nio.spinPolling().loops());
        } finally {
            nio.close();
        }
    }

    private static int ip(Inet4Address address) {
        return address.hashCode();
    }
}
