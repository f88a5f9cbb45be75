package io.meshd.vxlan.vtep;

import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.IntSupplier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Bounded spin-then-park for the VTEP's receive event loops (epoll): after a loop handled I/O, it keeps polling its
 * sockets without blocking ({@code epoll_wait} with a zero timeout) for up to a budget of microseconds, and only
 * then blocks. A datagram that arrives within the budget is read without the thread being woken by the kernel (a
 * scheduler wake-up is tens of microseconds on a VM). And a loop that is parked is woken when the VTEP sends
 * ({@link #expectReply()}, called by the sender after a datagram left from a TAP reader thread): the reply to a
 * request then finds the loop polling. An idle VTEP stays parked and costs nothing; each burst of traffic costs at
 * most the budget of one core per loop.
 *
 * <p>A budget of 0 is Netty's default strategy: the loop blocks as soon as nothing is ready.
 */
final class SpinPolling {

    /** The most budget a caller may ask for: beyond a millisecond a loop is simply a busy core. */
    static final int MAX_BUDGET_MICROS = UdpVtep.MAX_BUSY_POLL_MICROS;

    private final long budgetNanos;
    /** The strategies of the loops, each paired with its loop's handler once created. */
    private final List<Spinner> spinners = new ArrayList<>();
    private volatile Spinner[] all = new Spinner[0];
    /** The strategy created by the handler under construction, picked up by the factory that created it. */
    private Spinner constructing;

    SpinPolling(int budgetMicros) {
        if (budgetMicros < 0 || budgetMicros > MAX_BUDGET_MICROS) {
            throw new IllegalArgumentException("busy-poll budget must be 0.." + MAX_BUDGET_MICROS + " us: "
                + budgetMicros);
        }
        this.budgetNanos = TimeUnit.MICROSECONDS.toNanos(budgetMicros);
    }

    /** Whether the loops spin at all. */
    boolean enabled() {
        return budgetNanos > 0;
    }

    /** An epoll handler factory whose loops spin for the budget after activity. */
    IoHandlerFactory epollFactory() {
        IoHandlerFactory base = EpollIoHandler.newFactory(0, this::newSpinner);
        return executor -> {
            synchronized (this) {
                IoHandler handler = base.newHandler(executor);
                Spinner s = constructing;
                constructing = null;
                if (s != null) {
                    s.handler = handler;
                    spinners.add(s);
                    all = spinners.toArray(new Spinner[0]);
                }
                return handler;
            }
        };
    }

    private SelectStrategy newSpinner() {
        Spinner s = new Spinner(budgetNanos, System::nanoTime);
        synchronized (this) {
            constructing = s;
        }
        return s;
    }

    /**
     * A datagram was just sent: a reply may follow, so every parked loop is woken to spin for the budget. Cheap when
     * the loops are awake (one volatile read each); allocation-free.
     */
    void expectReply() {
        for (Spinner s : all) {
            if (s.parked && s.handler != null) {
                // The loop clears the flag itself when it runs (and so restarts its budget); Netty's wakeup()
                // writes the eventfd only once however many senders call it.
                s.handler.wakeup();
            }
        }
    }

    /** Spins of the loops so far: polls that found nothing and did not block (for tests and counters). */
    long emptyPolls() {
        long sum = 0;
        for (Spinner s : all) {
            sum += s.emptyPolls;
        }
        return sum;
    }

    /** How many loops spin (one per receive event loop; none when the budget is 0 or not on epoll). */
    int loops() {
        return all.length;
    }

    /** How many loops are blocked now. */
    int parkedLoops() {
        int n = 0;
        for (Spinner s : all) {
            if (s.parked) {
                n++;
            }
        }
        return n;
    }

    /** One loop's strategy, called on its thread only (except the flags, read by senders). */
    static final class Spinner implements SelectStrategy {
        private final long budgetNanos;
        private final LongSupplier clock;
        private long lastActive;
        /** Set before the loop blocks, cleared when it runs again (or by a sender that wakes it). */
        volatile boolean parked;
        volatile IoHandler handler;
        /** Written by the loop only; read racily by {@link #emptyPolls()}. */
        volatile long emptyPolls;

        Spinner(long budgetNanos, LongSupplier clock) {
            this.budgetNanos = budgetNanos;
            this.clock = clock;
        }

        @Override
        public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
            long now = clock.getAsLong();
            if (parked) {
                // Back from a blocking wait: woken by a datagram, a task, a timer or a sender expecting a reply.
                parked = false;
                lastActive = now;
            }
            int ready = selectSupplier.get();
            if (ready > 0) {
                lastActive = now;
                return ready;
            }
            if (hasTasks || now - lastActive < budgetNanos) {
                emptyPolls++;
                return 0;
            }
            parked = true;
            return SELECT;
        }
    }
}
