package io.meshd.net.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;

/**
 * A warning logged at most once per interval however often it happens: for unexpected errors on a packet path,
 * where every occurrence is counted and only the first of a burst is worth a log line. Pass a constant message, or
 * a format and its argument, so nothing is built for the occurrences that are not logged.
 *
 * <p>Thread-safe: threads that find the interval over race for it with one compare-and-set and only the winner logs.
 * Allocation-free when it does not log.
 */
public final class ThrottledLog {
    /** How often by default: bad input is "logged at most once per interval", this interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final Logger logger;
    private final long intervalNanos;
    private final NanoClock clock;
    /** When the last line was logged; the interval is over for the first call. */
    private final AtomicLong lastNanos;

    private ThrottledLog(Logger logger, Duration interval, NanoClock clock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.intervalNanos = interval.toNanos();
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastNanos = new AtomicLong(clock.nanoTime() - intervalNanos);
    }

    /**
     * Logs to {@code logger} at most once per {@link #DEFAULT_INTERVAL}.
     *
     * @param logger where the warnings go
     * @return a throttled log
     */
    public static ThrottledLog of(Logger logger) {
        return new ThrottledLog(logger, DEFAULT_INTERVAL, new SystemNanoClock());
    }

    /**
     * Logs to {@code logger} at most once per {@code interval} of {@code clock}.
     *
     * @param logger where the warnings go
     * @param interval the least time between two lines, positive
     * @param clock the time source (tests inject one)
     * @return a throttled log
     * @throws IllegalArgumentException if the interval is not positive
     */
    public static ThrottledLog of(Logger logger, Duration interval, NanoClock clock) {
        return new ThrottledLog(logger, interval, clock);
    }

    /**
     * Logs a warning unless one was logged less than the interval ago.
     *
     * @param message a constant message
     * @param cause what happened
     * @return whether it was logged
     */
    public boolean warn(String message, Throwable cause) {
        if (!due()) {
            return false;
        }
        logger.warn(message, cause);
        return true;
    }

    /**
     * Logs a warning unless one was logged less than the interval ago; the message is only formatted when logged.
     *
     * @param format an SLF4J format with one {@code {}}
     * @param argument its argument
     * @param cause what happened
     * @return whether it was logged
     */
    public boolean warn(String format, Object argument, Throwable cause) {
        if (!due()) {
            return false;
        }
        logger.warn(format, argument, cause);
        return true;
    }

    private boolean due() {
        long now = clock.nanoTime();
        long last = lastNanos.get();
        return now - last >= intervalNanos && lastNanos.compareAndSet(last, now);
    }
}
