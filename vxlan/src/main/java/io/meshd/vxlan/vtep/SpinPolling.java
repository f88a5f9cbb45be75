package io.meshd.vxlan.vtep;

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
 * scheduler wake-up is tens of microseconds on a VM). An idle VTEP stays parked and costs nothing; each burst of
 * traffic costs at most the budget of one core per loop.
 *
 * <p>Tried and dropped: waking the parked loops from the sender after each send, so that the reply to a request
 * finds them polling. On the 2-core lab the woken loops took the cores the reply needed (ping 0.25 to 0.75 ms,
 * docs/vtep.md, "Latency").
 *
 * <p>A budget of 0 is Netty's default strategy: the loop blocks as soon as nothing is ready.
 */
final class SpinPolling {

    /** The most budget a caller may ask for: beyond a millisecond a loop is simply a busy core. */
    static final int MAX_BUDGET_MICROS = UdpVtep.MAX_BUSY_POLL_MICROS;

    private final long budgetNanos;
    /** The strategies of the loops, one per loop (for counters and tests). */
    private final List<Spinner> spinners = new ArrayList<>();
    private volatile Spinner[] all = new Spinner[0];

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
        return EpollIoHandler.newFactory(0, this::newSpinner);
    }

    private synchronized SelectStrategy newSpinner() {
        Spinner s = new Spinner(budgetNanos, System::nanoTime);
        spinners.add(s);
        all = spinners.toArray(new Spinner[0]);
        return s;
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

    /** One loop's strategy, called on its thread only (the volatile fields are read by counters and tests). */
    static final class Spinner implements SelectStrategy {
        private final long budgetNanos;
        private final LongSupplier clock;
        private long lastActive;
        /** Set before the loop blocks, cleared when it runs again. */
        volatile boolean parked;
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
                // Back from a blocking wait: woken by a datagram, a task or a timer.
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
