package io.meshd.gossip.sim;

import java.util.PriorityQueue;

/**
 * The simulator's clock and event queue: events run in (time, insertion) order on the calling thread, so a run is a
 * pure function of its seed.
 */
final class VirtualTime {

    /** One scheduled event; cancelling marks it so it is skipped when due. */
    static final class Event implements Comparable<Event> {
        final long time;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Event(long time, long seq, Runnable task) {
            this.time = time;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private long executed;

    long now() {
        return now;
    }

    long executed() {
        return executed;
    }

    Event at(long time, Runnable task) {
        Event e = new Event(Math.max(time, now), seq++, task);
        queue.add(e);
        return e;
    }

    /** Runs every event due up to {@code until}, then sets the clock to it. */
    void runUntil(long until) {
        while (!queue.isEmpty() && queue.peek().time <= until) {
            Event e = queue.poll();
            now = e.time;
            if (!e.cancelled) {
                executed++;
                e.task.run();
            }
        }
        now = Math.max(now, until);
    }
}
