package io.meshd.gossip.internal;

import io.meshd.gossip.internal.GossipMetrics.Drop;
import io.meshd.gossip.internal.GossipMetrics.Traffic;
import io.meshd.gossip.security.PacketSealer;
import io.meshd.gossip.spi.PeerChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Frames between the protocol and the {@link PeerChannel}: seals and sends packets and stream requests, and opens
 * and decodes what arrives. Whatever cannot be opened or decoded is dropped here and counted by reason, so the
 * rest of the protocol only ever sees well-formed messages.
 */
final class Wire {

    /** The largest UDP payload; no member sends more. */
    static final int MAX_PACKET = 65_507;

    private final PacketSealer sealer;
    private final PeerChannel channel;
    private final GossipMetrics metrics;
    private final int packetSize;

    Wire(PacketSealer sealer, PeerChannel channel, GossipMetrics metrics, int packetSize) {
        this.sealer = sealer;
        this.channel = channel;
        this.metrics = metrics;
        this.packetSize = packetSize;
    }

    InetSocketAddress localAddress() {
        return channel.localAddress();
    }

    /** Room for parts (each with its part overhead) in one packet after the framing and packet header. */
    int packetBudget() {
        return packetSize - sealer.overhead() - MessageCodec.PACKET_HEADER;
    }

    /** Seals {@code parts} into one packet and sends it. */
    void sendPacket(InetSocketAddress to, List<byte[]> parts) {
        byte[] frame = sealer.seal(MessageCodec.packet(parts));
        metrics.traffic(Traffic.PACKETS_SENT, frame.length);
        channel.sendPacket(to, frame);
    }

    /** Sends {@code m} as a stream request; the handler gets the raw response (open it with {@link #openStream}). */
    void request(InetSocketAddress to, Message m, long timeoutNanos, PeerChannel.ResponseHandler handler) {
        byte[] req = sealStream(m);
        metrics.traffic(Traffic.STREAMS_SENT, req.length);
        channel.request(to, req, timeoutNanos, handler);
    }

    /** {@code m} sealed as a stream body (a request or a response). */
    byte[] sealStream(Message m) {
        return sealer.seal(MessageCodec.stream(m));
    }

    /** The messages of a received packet, or empty (counted as a drop) if it cannot be opened or decoded. */
    Optional<List<Message>> openPacket(byte[] frame, InetSocketAddress from) {
        metrics.traffic(Traffic.PACKETS_RECEIVED, frame.length);
        if (frame.length > MAX_PACKET) {
            metrics.drop(Drop.TOO_LARGE, from, null);
            return Optional.empty();
        }
        Optional<byte[]> payload = open(frame, from);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MessageCodec.decodePacket(payload.get()));
        } catch (CodecException e) {
            metrics.drop(Drop.of(e.reason()), from, e);
            return Optional.empty();
        }
    }

    /** The message of a stream body, or empty (counted as a drop) if it cannot be opened or decoded. */
    Optional<Message> openStream(byte[] frame, InetSocketAddress from) {
        Optional<byte[]> payload = open(frame, from);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MessageCodec.decodeStream(payload.get()));
        } catch (CodecException e) {
            metrics.drop(Drop.of(e.reason()), from, e);
            return Optional.empty();
        }
    }

    /** Starts delivering input to {@code receiver}. */
    void start(PeerChannel.Receiver receiver) {
        channel.start(receiver);
    }

    /** Stops the channel. */
    void close() {
        channel.close();
    }

    private Optional<byte[]> open(byte[] frame, InetSocketAddress from) {
        PacketSealer.Result r = sealer.open(frame);
        if (r.rejection().isPresent()) {
            metrics.drop(Drop.of(r.rejection().get()), from, null);
        }
        return r.payload();
    }
}
