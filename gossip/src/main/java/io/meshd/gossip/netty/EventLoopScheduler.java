package io.meshd.gossip.netty;

import io.meshd.gossip.spi.Scheduler;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/** A {@link Scheduler} on one Netty event loop: the loop that also runs the member's sockets. */
final class EventLoopScheduler implements Scheduler {

    private final EventLoop loop;

    EventLoopScheduler(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        var f = loop.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }
}
