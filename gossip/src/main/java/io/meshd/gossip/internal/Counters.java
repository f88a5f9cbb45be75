package io.meshd.gossip.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Named event counters (written on the protocol thread, readable from any thread) and a log that reports each kind
 * of bad input at most once per interval, so a flood of garbage costs a counter increment, not a log line.
 *
 * <p>Drops are counted through {@link Drop} handles made once, up front: {@link #drop(Drop, long)} allocates
 * nothing, and the caller builds its log message only when {@code drop} says a line is due.
 */
public final class Counters {

    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final long logIntervalNanos;

    /** Counters that log each distinct drop reason at most once per {@code logIntervalNanos}. */
    public Counters(long logIntervalNanos) {
        this.logIntervalNanos = logIntervalNanos;
    }

    /** Adds one to {@code name}. */
    public void inc(String name) {
        add(name, 1);
    }

    /** Adds {@code delta} to {@code name}. */
    public void add(String name, long delta) {
        counter(name).addAndGet(delta);
    }

    private AtomicLong counter(String name) {
        return counters.computeIfAbsent(name, k -> new AtomicLong());
    }

    /** Current value of {@code name} (0 if never counted). */
    public long get(String name) {
        AtomicLong v = counters.get(name);
        return v == null ? 0 : v.get();
    }

    /** Every counter, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The handle of drop reason {@code reason}, counted as {@code dropped.<reason>}. */
    public Drop dropReason(String reason) {
        return new Drop(reason);
    }

    /**
     * One handle per constant of {@code reasons}, indexed by ordinal, each named {@code prefix} plus the constant's
     * name in lower case (e.g. {@code malformed.bad_type}).
     */
    public <E extends Enum<E>> Drop[] dropReasons(String prefix, Class<E> reasons) {
        E[] constants = reasons.getEnumConstants();
        Drop[] drops = new Drop[constants.length];
        for (E e : constants) {
            drops[e.ordinal()] = new Drop(prefix + e.name().toLowerCase(Locale.ROOT));
        }
        return drops;
    }

    /**
     * Counts a drop and tells whether to log it: true unless the same reason was logged within the interval.
     * Allocates nothing; build the log message (see {@link #logDrop}) only when this returns true.
     */
    public boolean drop(Drop reason, long now) {
        if (reason.count == null) {
            // First drop of this reason: only now does the counter appear in snapshots.
            reason.count = counter(reason.counterName);
        }
        reason.count.incrementAndGet();
        if (reason.everLogged && now - reason.lastLoggedNanos < logIntervalNanos) {
            return false;
        }
        reason.everLogged = true;
        reason.lastLoggedNanos = now;
        return true;
    }

    /** Logs a drop that {@link #drop(Drop, long)} said is due. */
    public static void logDrop(Logger log, Drop reason, String detail) {
        log.warn("dropping gossip input ({}): {} [further drops for this reason are only counted for a while]",
            reason.name, detail);
    }

    /** One reason to drop input: its counter and when it was last logged (protocol thread only). */
    public static final class Drop {
        private final String name;
        private final String counterName;
        private AtomicLong count;
        private boolean everLogged;
        private long lastLoggedNanos;

        private Drop(String name) {
            this.name = name;
            this.counterName = "dropped." + name;
        }

        /** The reason, e.g. {@code too_large}. */
        public String name() {
            return name;
        }
    }
}
