package io.meshd.gossip.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Named event counters (written on the protocol thread, readable from any thread) and a log that reports each kind
 * of bad input at most once per interval, so a flood of garbage costs a counter increment, not a log line.
 */
public final class Counters {

    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
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
        counters.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(delta);
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

    /** Counts a drop under {@code dropped.<reason>} and logs it unless the same reason was logged recently. */
    public void drop(String reason, String detail, long now, Logger log) {
        inc("dropped." + reason);
        Long last = lastLogged.get(reason);
        if (last == null || now - last >= logIntervalNanos) {
            lastLogged.put(reason, now);
            log.warn("dropping gossip input ({}): {} [further drops for this reason are only counted for a while]",
                reason, detail);
        }
    }
}
