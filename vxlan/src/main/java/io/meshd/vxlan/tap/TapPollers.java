package io.meshd.vxlan.tap;

import io.meshd.shims.Tap;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The threads that read every TAP queue of a node: a fixed group of Netty epoll event loops ({@link
 * MultiThreadIoEventLoopGroup} with {@link EpollIoHandler}), one per core by default, however many TAPs are attached.
 * Each queue's descriptor is non-blocking and registered (level-triggered {@code EPOLLIN}) on the poller with the
 * fewest queues, as a custom {@link io.netty.channel.epoll.EpollIoHandle}; when it is readable its port reads it
 * until {@code EAGAIN} or {@link #READ_BUDGET} frames, then the poller moves on to the next ready queue (a queue with
 * more left is reported ready again by the next {@code epoll_wait}), so one busy container cannot starve the others.
 *
 * <p>The read buffer, the segment buffer and the TSO segmenter are the poller's, shared by every queue it serves:
 * per-attachment memory is the descriptors and a few small objects, not two 64 KiB buffers and a thread stack.
 *
 * <p>Registration and removal run on the queue's poller; {@link #register} and {@link Registration#close} wait
 * for them (a poller runs such a task between two ready queues, so within microseconds), so a descriptor is out of
 * epoll and no read is running on it when its {@link Tap} is closed. Thread safety: the control-plane methods may be
 * called from any thread except a poller's own.
 */
public final class TapPollers implements AutoCloseable {

    /** The most frames read from one queue before the poller serves the next ready one. */
    public static final int READ_BUDGET = 64;
    /** The most pollers. */
    public static final int MAX_POLLERS = 64;
    /** Room for the largest frame a TAP hands out (64 KiB with segmentation offloads). */
    static final int READ_BUFFER_BYTES = 65536 + 64;
    /** How long registering or removing a queue may take on a poller before it counts as stuck (and throws). */
    public static final long TASK_MILLIS = 5000;

    private final MultiThreadIoEventLoopGroup group;
    private final Poller[] pollers;

    private TapPollers(int count) {
        if (count < 1 || count > MAX_POLLERS) {
            throw new IllegalArgumentException("pollers must be 1.." + MAX_POLLERS + ": " + count);
        }
        this.group = new MultiThreadIoEventLoopGroup(count, new DefaultThreadFactory("tap-poller", true),
            EpollIoHandler.newFactory());
        this.pollers = new Poller[count];
        int i = 0;
        for (EventExecutor e : group) {
            pollers[i++] = new Poller((IoEventLoop) e);
        }
    }

    /** Starts {@code count} poller threads (1 to {@link #MAX_POLLERS}). */
    public static TapPollers start(int count) {
        return new TapPollers(count);
    }

    /** One poller per core: what attachers get unless they ask otherwise. */
    public static int defaultCount() {
        return Math.max(1, Math.min(MAX_POLLERS, Runtime.getRuntime().availableProcessors()));
    }

    /** How many poller threads there are. */
    public int count() {
        return pollers.length;
    }

    /** How many queues each poller serves now, in poller order (for tests and diagnostics). */
    public synchronized int[] load() {
        int[] load = new int[pollers.length];
        for (int i = 0; i < load.length; i++) {
            load[i] = pollers[i].queues;
        }
        return load;
    }

    /**
     * Starts reading queue {@code queue} of {@code port} (its non-blocking descriptor {@code tap}) on the least busy
     * poller; returns once the descriptor is in that poller's epoll set.
     *
     * @throws IllegalStateException when the poller does not register it in time, or the pollers are closed
     */
    Registration register(TapPort port, int queue, Tap tap) {
        if (!tap.nonBlocking()) {
            throw new IllegalArgumentException("a polled TAP must be non-blocking: " + tap);
        }
        Poller poller;
        synchronized (this) {
            poller = pollers[0];
            for (Poller p : pollers) {
                if (p.queues < poller.queues) {
                    poller = p;
                }
            }
            poller.queues++;
        }
        TapQueue handle = new TapQueue(port, queue, tap, poller);
        try {
            Future<IoRegistration> f = poller.loop.register(handle);
            if (!f.awaitUninterruptibly(TASK_MILLIS, TimeUnit.MILLISECONDS) || !f.isSuccess()) {
                throw new IllegalStateException("poller did not register " + tap + " in time", f.cause());
            }
            IoRegistration registration = f.getNow();
            Future<?> armed = poller.loop.submit(() -> {
                registration.submit(EpollIoOps.EPOLLIN);
            });
            if (!armed.awaitUninterruptibly(TASK_MILLIS, TimeUnit.MILLISECONDS) || !armed.isSuccess()) {
                registration.cancel();
                throw new IllegalStateException("poller did not arm " + tap + " in time", armed.cause());
            }
            handle.registration = registration;
            return new Registration(this, handle);
        } catch (RuntimeException e) {
            released(poller);
            throw e;
        }
    }

    private synchronized void released(Poller poller) {
        poller.queues--;
    }

    /** Stops every poller (what is still registered is dropped from epoll with them) and waits for them. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(TASK_MILLIS);
    }

    @Override
    public String toString() {
        return "TapPollers[" + pollers.length + "]";
    }

    /** One poller thread's event loop and what it reads with, shared by every queue it serves. */
    static final class Poller {
        final IoEventLoop loop;
        /** Reads land here; valid until the next read on this poller. */
        final UnsafeBuffer read = new UnsafeBuffer(ByteBuffer.allocateDirect(READ_BUFFER_BYTES));
        /** Scratch for one segment of a super-frame. */
        final UnsafeBuffer segment = new UnsafeBuffer(ByteBuffer.allocateDirect(READ_BUFFER_BYTES));
        final TcpSegmenter segmenter = new TcpSegmenter();
        /** Queues registered on this poller (guarded by the {@link TapPollers}). */
        int queues;

        Poller(IoEventLoop loop) {
            this.loop = loop;
        }
    }

    /** A queue's place on a poller: {@link #close} takes it out of epoll, so its descriptor may be closed. */
    static final class Registration {
        private final TapPollers owner;
        private final TapQueue handle;
        private boolean closed;

        Registration(TapPollers owner, TapQueue handle) {
            this.owner = owner;
            this.handle = handle;
        }

        /**
         * Removes the descriptor from its poller's epoll set and waits until that is done (no read runs on it
         * afterwards). Idempotent. Never blocks longer than a poller takes to run a task; a poller that is shut down
         * has dropped its registrations already.
         */
        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            IoEventLoop loop = handle.poller.loop;
            if (loop.inEventLoop()) {
                handle.cancel();
            } else if (!loop.isShuttingDown()) {
                Future<?> f = loop.submit(handle::cancel);
                if (!f.awaitUninterruptibly(TASK_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("poller did not remove " + handle + " in time");
                }
            }
            owner.released(handle.poller);
        }
    }
}
