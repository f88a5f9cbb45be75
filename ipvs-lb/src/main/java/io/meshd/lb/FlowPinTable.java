package io.meshd.lb;

import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.Labels;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.MetricType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongSupplier;

/**
 * Remembers which backend each recent flow went to, so an existing flow keeps its backend when the service's
 * backend set changes (Maglev alone moves about 1/N of flows on such a change). Losing a pin, by eviction or
 * expiry, costs nothing unless the set changed meanwhile: the flow then falls back to Maglev's pick, which every
 * node computes alike.
 *
 * <p>Bounded and allocation-free: a set-associative cache of {@value #WAYS}-slot buckets; a new flow takes a free
 * or expired slot of its bucket, else the least recently seen one (approximate LRU). A pin expires after its
 * protocol's idle timeout, measured from the last packet seen in either direction.
 *
 * <p>Thread-safe without locks that park: several event loops pin flows and look them up at once. Each bucket has
 * a sequence word (a seqlock): a writer makes it odd with a CAS, writes, then makes it even; a reader retries
 * while it is odd or changed under it. Writers of one bucket spin, which is brief since a write is a few stores.
 */
public final class FlowPinTable {
    /** Slots per bucket. */
    public static final int WAYS = 8;
    /** Returned by {@link #lookup} when the flow has no live pin. */
    public static final long NO_PIN = -1L;
    /** Default capacity: 131,072 flows in 4 MiB. */
    public static final int DEFAULT_CAPACITY = 1 << 17;
    /**
     * Default TCP idle timeout, 7,440 s: longer than Linux's default keepalive time (7,200 s), so a connection
     * kept alive the default way never loses its pin; IPVS, as Docker runs it, forgets idle flows after 900 s.
     */
    public static final long DEFAULT_TCP_IDLE_NANOS = 7_440L * 1_000_000_000L;
    /** Default UDP idle timeout, 300 s: longer than the 120 s Linux conntrack keeps a UDP stream. */
    public static final long DEFAULT_UDP_IDLE_NANOS = 300L * 1_000_000_000L;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int SLOT_LONGS = 4;
    private static final int KEY_A = 0;
    private static final int KEY_B = 1;
    private static final int VALUE = 2;
    private static final int SEEN = 3;

    private final long[] slots;
    private final long[] sequences;
    private final int bucketMask;
    private final long tcpIdleNanos;
    private final long udpIdleNanos;
    private final EnumCounters<PinEvent> events = new EnumCounters<>(PinEvent.class, "meshd_lb_flow_pin_events_total",
        "Flow pins written by the VIP NAT, and live pins evicted to make room, by event", "event");

    /** What the table counts ({@code meshd_lb_flow_pin_events_total{event}}). */
    private enum PinEvent {
        /** A pin written: a new flow, or one whose backend changed. */
        PINNED,
        /** A live pin pushed out of its full bucket by a new one (the table is too small for the flows). */
        EVICTED
    }

    private FlowPinTable(int buckets, long tcpIdleNanos, long udpIdleNanos) {
        this.slots = new long[buckets * WAYS * SLOT_LONGS];
        this.sequences = new long[buckets];
        this.bucketMask = buckets - 1;
        this.tcpIdleNanos = tcpIdleNanos;
        this.udpIdleNanos = udpIdleNanos;
    }

    /**
     * A table holding at least {@code capacity} pins.
     *
     * @param capacity the most flows pinned at once (rounded up to a power of two times {@link #WAYS})
     * @param tcpIdleNanos how long an idle TCP pin lives; longer than common keepalive intervals
     * @param udpIdleNanos how long an idle UDP pin lives
     * @return an empty table
     * @throws IllegalArgumentException for a capacity outside 1..2^26 or a timeout that is not positive
     */
    public static FlowPinTable create(int capacity, long tcpIdleNanos, long udpIdleNanos) {
        if (capacity < 1 || capacity > 1 << 26) {
            throw new IllegalArgumentException("pin capacity must be 1-" + (1 << 26) + ": " + capacity);
        }
        if (tcpIdleNanos <= 0 || udpIdleNanos <= 0) {
            throw new IllegalArgumentException("idle timeouts must be positive");
        }
        int buckets = Integer.highestOneBit(Math.max(1, (capacity + WAYS - 1) / WAYS) * 2 - 1);
        return new FlowPinTable(buckets, tcpIdleNanos, udpIdleNanos);
    }

    /**
     * A table with the default capacity and idle timeouts.
     *
     * @return an empty table
     */
    public static FlowPinTable withDefaults() {
        return create(DEFAULT_CAPACITY, DEFAULT_TCP_IDLE_NANOS, DEFAULT_UDP_IDLE_NANOS);
    }

    /**
     * How many pins fit.
     *
     * @return the capacity
     */
    public int capacity() {
        return sequences.length * WAYS;
    }

    /**
     * Live pins now: slots holding a flow not idle past its timeout. Scans the whole table ({@link #capacity()}
     * slots): for a scrape, not for the packet path. A moment's view while other threads pin.
     *
     * @param now the current time, nanoseconds, on the clock the pins were written with
     * @return how many flows are pinned
     */
    public int live(long now) {
        int live = 0;
        for (int at = 0; at < slots.length; at += SLOT_LONGS) {
            long key = (long) LONGS.getOpaque(slots, at + KEY_B);
            if (key != 0 && now - (long) LONGS.getOpaque(slots, at + SEEN) < idleNanos((int) (key & 0xFF))) {
                live++;
            }
        }
        return live;
    }

    /**
     * Pins written and evicted ({@code meshd_lb_flow_pin_events_total{event="pinned|evicted"}}), the live pins
     * ({@code meshd_lb_flow_pins}, counted by {@link #live} when collected) and the capacity
     * ({@code meshd_lb_flow_pin_capacity}).
     *
     * @param nanoClock the clock the pins are written with
     * @return the source
     */
    public MetricSource metrics(LongSupplier nanoClock) {
        return sink -> {
            events.collect(sink);
            sink.sample("meshd_lb_flow_pins", MetricType.GAUGE, "Flows pinned to a backend by the VIP NAT now",
                Labels.none(), live(nanoClock.getAsLong()));
            sink.sample("meshd_lb_flow_pin_capacity", MetricType.GAUGE, "The most flows the VIP NAT can pin at once",
                Labels.none(), capacity());
        };
    }

    /**
     * The backend a flow is pinned to, refreshing the pin's idle time.
     *
     * @param flow the first half of the flow's key ({@link #keyA})
     * @param flowB the second half ({@link #keyB})
     * @param now the current time, nanoseconds
     * @return the backend as {@link #backend}, or {@link #NO_PIN}
     */
    public long lookup(long flow, long flowB, long now) {
        int bucket = bucketOf(flow, flowB);
        int base = bucket * WAYS * SLOT_LONGS;
        long idle = idleNanos((int) (flowB & 0xFF));
        while (true) {
            long sequence = (long) LONGS.getAcquire(sequences, bucket);
            if ((sequence & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long found = NO_PIN;
            int foundAt = -1;
            for (int way = 0; way < WAYS; way++) {
                int at = base + way * SLOT_LONGS;
                if ((long) LONGS.getOpaque(slots, at + KEY_A) == flow
                    && (long) LONGS.getOpaque(slots, at + KEY_B) == flowB
                    && now - (long) LONGS.getOpaque(slots, at + SEEN) < idle) {
                    found = (long) LONGS.getOpaque(slots, at + VALUE);
                    foundAt = at;
                    break;
                }
            }
            // Orders the slot reads above before the re-read of the sequence.
            VarHandle.acquireFence();
            if ((long) LONGS.getOpaque(sequences, bucket) == sequence) {
                if (foundAt >= 0) {
                    // The idle clock is advisory (eviction and expiry only), so it is stored outside the lock.
                    LONGS.setOpaque(slots, foundAt + SEEN, now);
                }
                return found;
            }
        }
    }

    /**
     * Pins a flow to a backend (replacing any pin it had).
     *
     * @param flow the first half of the flow's key
     * @param flowB the second half
     * @param backend the backend as {@link #backend}
     * @param now the current time, nanoseconds
     */
    public void pin(long flow, long flowB, long backend, long now) {
        int bucket = bucketOf(flow, flowB);
        int base = bucket * WAYS * SLOT_LONGS;
        long sequence = lockBucket(bucket);
        try {
            int target = victim(base, flow, flowB, now);
            events.increment(PinEvent.PINNED);
            LONGS.setOpaque(slots, target + KEY_A, flow);
            LONGS.setOpaque(slots, target + KEY_B, flowB);
            LONGS.setOpaque(slots, target + VALUE, backend);
            LONGS.setOpaque(slots, target + SEEN, now);
        } finally {
            LONGS.setRelease(sequences, bucket, sequence + 2);
        }
    }

    /**
     * Removes a flow's pin, if it has one.
     *
     * @param flow the first half of the flow's key
     * @param flowB the second half
     */
    public void unpin(long flow, long flowB) {
        int bucket = bucketOf(flow, flowB);
        int base = bucket * WAYS * SLOT_LONGS;
        long sequence = lockBucket(bucket);
        try {
            for (int way = 0; way < WAYS; way++) {
                int at = base + way * SLOT_LONGS;
                if (slots[at + KEY_A] == flow && slots[at + KEY_B] == flowB) {
                    LONGS.setOpaque(slots, at + KEY_B, 0L);
                }
            }
        } finally {
            LONGS.setRelease(sequences, bucket, sequence + 2);
        }
    }

    /**
     * The first half of a flow's key: the client's and the VIP's addresses.
     *
     * @param client the client's IPv4 address
     * @param vip the service's VIP
     * @return the key half
     */
    public static long keyA(int client, int vip) {
        return ((long) client << 32) | (vip & 0xFFFF_FFFFL);
    }

    /**
     * The second half of a flow's key: ports and protocol. Never 0, which marks a free slot.
     *
     * @param clientPort the client's port
     * @param servicePort the service's port
     * @param protocol the IP protocol number
     * @return the key half
     */
    public static long keyB(int clientPort, int servicePort, int protocol) {
        return (1L << 48) | ((long) (clientPort & 0xFFFF) << 32) | ((long) (servicePort & 0xFFFF) << 16)
            | (protocol & 0xFF);
    }

    /**
     * A backend as the table stores it.
     *
     * @param ip the backend's IPv4 address
     * @param port its port
     * @return the packed backend (never {@link #NO_PIN})
     */
    public static long backend(int ip, int port) {
        return ((ip & 0xFFFF_FFFFL) << 16) | (port & 0xFFFF);
    }

    /** The address of a packed backend. */
    public static int backendIp(long backend) {
        return (int) (backend >>> 16);
    }

    /** The port of a packed backend. */
    public static int backendPort(long backend) {
        return (int) (backend & 0xFFFF);
    }

    private long idleNanos(int protocol) {
        return protocol == Protocol.TCP.number() ? tcpIdleNanos : udpIdleNanos;
    }

    private int bucketOf(long flow, long flowB) {
        long h = (flow ^ Long.rotateLeft(flowB, 29)) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & bucketMask;
    }

    /** Makes the bucket's sequence odd; returns the even value it had. */
    private long lockBucket(int bucket) {
        while (true) {
            long sequence = (long) LONGS.getVolatile(sequences, bucket);
            if ((sequence & 1) == 0 && LONGS.compareAndSet(sequences, bucket, sequence, sequence + 1)) {
                return sequence;
            }
            Thread.onSpinWait();
        }
    }

    /** The slot a pin goes to: its own, else a free or expired one, else the least recently seen. */
    private int victim(int base, long flow, long flowB, long now) {
        int oldest = base;
        long oldestAge = Long.MIN_VALUE;
        for (int way = 0; way < WAYS; way++) {
            int at = base + way * SLOT_LONGS;
            if (slots[at + KEY_A] == flow && slots[at + KEY_B] == flowB) {
                return at;
            }
        }
        for (int way = 0; way < WAYS; way++) {
            int at = base + way * SLOT_LONGS;
            long key = slots[at + KEY_B];
            long age = now - slots[at + SEEN];
            if (key == 0 || age >= idleNanos((int) (key & 0xFF))) {
                return at;
            }
            if (age > oldestAge) {
                oldestAge = age;
                oldest = at;
            }
        }
        events.increment(PinEvent.EVICTED);
        return oldest;
    }
}
