package io.meshd.gossip.internal;

import io.meshd.gossip.security.PacketSealer;
import io.meshd.net.metrics.EnumCounters;
import io.meshd.net.metrics.MetricSink;
import io.meshd.net.metrics.MetricSource;
import io.meshd.net.metrics.ThrottledLog;
import java.util.Locale;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters of one gossip member, on the shared {@link EnumCounters} design: protocol events, traffic, messages
 * received by type and dropped input by reason. Bad input is counted every time and logged at most once per
 * {@link ThrottledLog#DEFAULT_INTERVAL} per reason, so a flood of garbage costs a counter increment, not a log
 * line. Counting (a drop included) allocates nothing; a log message is formatted only when a line is due.
 */
public final class GossipMetrics implements MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(GossipMetrics.class);

    /** Protocol events worth watching. */
    public enum Event {
        /** A direct probe sent. */
        PROBE,
        /** A probe that had no direct ack in time and went to indirect probers. */
        INDIRECT_PROBE,
        /** A fallback probe over a stream. */
        STREAM_PROBE,
        /** A fallback stream probe that failed to connect or answer. */
        STREAM_PROBE_FAILURE,
        /** A probe round that ended with no ack at all. */
        FAILED_PROBE,
        /** This member raised its incarnation to deny a suspicion or death notice of itself. */
        REFUTATION,
        /** A suspicion that ran out: the suspect was declared dead. */
        SUSPICION_TIMEOUT,
        /** A stale suspicion or death notice answered directly with the newer alive state. */
        STALE_CORRECTION,
        /** A push-pull (full state exchange) started. */
        PUSH_PULL,
        /** A push-pull that got no usable answer. */
        PUSH_PULL_FAILURE,
        /** A push-pull with a dead member or seed, to heal a partition. */
        RECONNECT_ATTEMPT,
        /**
         * A table version received whose scope differs from this member's declaration of its table: the version's
         * own scope is kept (so every member agrees), but the members' configurations disagree.
         */
        SCOPE_MISMATCH
    }

    /** What crossed the wire, in units (and, in a second metric, bytes). */
    public enum Traffic {
        /** UDP packets received. */
        PACKETS_RECEIVED,
        /** UDP packets sent. */
        PACKETS_SENT,
        /** Stream requests received. */
        STREAMS_RECEIVED,
        /** Stream requests sent. */
        STREAMS_SENT
    }

    /** Received messages by wire type. */
    public enum MessageType {
        /** Direct probe. */
        PING,
        /** Request to probe another member. */
        INDIRECT_PING,
        /** Probe answered. */
        ACK,
        /** Indirect probe failed. */
        NACK,
        /** Alive state. */
        ALIVE,
        /** Suspicion. */
        SUSPECT,
        /** Death or leave notice. */
        DEAD,
        /** Replicated table entry. */
        TABLE_UPDATE,
        /** Full state (streams only). */
        PUSH_PULL
    }

    /** Why input was dropped. */
    public enum Drop {
        /** Decoder: ran out of bytes. */
        MALFORMED_TRUNCATED,
        /** Decoder: a version this build does not speak. */
        MALFORMED_BAD_VERSION,
        /** Decoder: unknown message type. */
        MALFORMED_BAD_TYPE,
        /** Decoder: a length, count or value outside its limit. */
        MALFORMED_OUT_OF_RANGE,
        /** Decoder: bytes left after the message. */
        MALFORMED_TRAILING_BYTES,
        /** Frame shorter than its header. */
        TRUNCATED,
        /** Frame whose first byte is neither form. */
        UNKNOWN_FRAME,
        /** Plaintext while a keyring is set. */
        UNENCRYPTED,
        /** Encrypted while no keyring is set. */
        ENCRYPTED_WITHOUT_KEY,
        /** Plain frame of another cluster. */
        LABEL_MISMATCH,
        /** No installed key opens it. */
        DECRYPT_FAILED,
        /** Packet larger than any UDP datagram this protocol sends. */
        TOO_LARGE,
        /** Ping for another member. */
        MISDIRECTED_PING,
        /** A message that never comes on a stream. */
        UNEXPECTED_STREAM_MESSAGE,
        /** A message that never comes in a packet. */
        UNEXPECTED_PACKET_MESSAGE;

        private static final Drop[] BY_REASON = {MALFORMED_TRUNCATED, MALFORMED_BAD_VERSION, MALFORMED_BAD_TYPE,
            MALFORMED_OUT_OF_RANGE, MALFORMED_TRAILING_BYTES};
        private static final Drop[] BY_REJECTION = {TRUNCATED, UNKNOWN_FRAME, UNENCRYPTED, ENCRYPTED_WITHOUT_KEY,
            LABEL_MISMATCH, DECRYPT_FAILED};

        /** The drop for a decoder failure. */
        public static Drop of(CodecException.Reason reason) {
            return BY_REASON[reason.ordinal()];
        }

        /** The drop for a frame the sealer refused. */
        public static Drop of(PacketSealer.Rejection rejection) {
            return BY_REJECTION[rejection.ordinal()];
        }

        /** The exported label value, e.g. {@code decrypt-failed}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final EnumCounters<Event> events = new EnumCounters<>(Event.class, "meshd_gossip_events_total",
        "Gossip protocol events: probes, refutations, suspicion timeouts, push-pulls", "event");
    private final EnumCounters<Traffic> traffic = new EnumCounters<>(Traffic.class, "meshd_gossip_traffic_total",
        "Gossip packets and stream requests, received and sent", "kind");
    private final EnumCounters<Traffic> bytes = new EnumCounters<>(Traffic.class,
        "meshd_gossip_traffic_bytes_total", "Bytes of gossip packets and stream requests, received and sent", "kind");
    private final EnumCounters<MessageType> messages = new EnumCounters<>(MessageType.class,
        "meshd_gossip_messages_total", "Gossip messages received, by type", "type");
    private final EnumCounters<Drop> drops = new EnumCounters<>(Drop.class, "meshd_gossip_drops_total",
        "Gossip input dropped, by reason", "reason");
    /** By {@link Drop} ordinal: one throttle and one message format per reason. */
    private final ThrottledLog[] logs;
    private final String[] formats;

    /** Counters at zero; {@code clock} paces the drop log (the protocol's clock, virtual in the simulator). */
    public GossipMetrics(NanoClock clock) {
        Drop[] reasons = Drop.values();
        logs = new ThrottledLog[reasons.length];
        formats = new String[reasons.length];
        for (Drop d : reasons) {
            logs[d.ordinal()] = ThrottledLog.of(LOG, ThrottledLog.DEFAULT_INTERVAL, clock);
            formats[d.ordinal()] = "dropping gossip input (" + d.label()
                + "): {} [further drops for this reason are only counted for a while]";
        }
    }

    /** Counts one event. */
    public void count(Event e) {
        events.increment(e);
    }

    /** Counts one packet or stream of {@code length} bytes. */
    public void traffic(Traffic kind, int length) {
        traffic.increment(kind);
        bytes.add(kind, length);
    }

    /** Counts one received message. */
    public void received(MessageType type) {
        messages.increment(type);
    }

    /**
     * Counts a drop and logs it if no line for {@code reason} was logged within the interval. {@code detail} is
     * formatted only then (pass the sender or the offending value as it is, never a string built for the call).
     *
     * @return whether a line was logged
     */
    public boolean drop(Drop reason, Object detail, Throwable cause) {
        drops.increment(reason);
        return logs[reason.ordinal()].warn(formats[reason.ordinal()], detail, cause);
    }

    /** Events so far. */
    public long get(Event e) {
        return events.get(e);
    }

    /** Drops so far. */
    public long get(Drop d) {
        return drops.get(d);
    }

    /** Packets or streams so far. */
    public long get(Traffic t) {
        return traffic.get(t);
    }

    /** Messages received so far. */
    public long get(MessageType t) {
        return messages.get(t);
    }

    @Override
    public void collect(MetricSink sink) {
        events.collect(sink);
        traffic.collect(sink);
        bytes.collect(sink);
        messages.collect(sink);
        drops.collect(sink);
    }
}
