package io.meshd.gossip.internal;

import io.meshd.gossip.spi.Scheduler;
import java.util.PriorityQueue;

/** An injected clock for unit tests: tasks run only when the test advances time. */
final class ManualScheduler implements Scheduler {

    private record Task(long at, long seq, Runnable run, boolean[] cancelled) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now;
    private long seq;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now + Math.max(0, delayNanos), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    @Override
    public boolean inLoop() {
        return true;
    }

    /** Runs everything due within the next {@code millis}. */
    void advanceMillis(long millis) {
        long until = now + millis * 1_000_000L;
        while (!tasks.isEmpty() && tasks.peek().at() <= until) {
            Task t = tasks.poll();
            now = t.at();
            if (!t.cancelled()[0]) {
                t.run().run();
            }
        }
        now = until;
    }
}
