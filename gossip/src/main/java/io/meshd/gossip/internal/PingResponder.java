package io.meshd.gossip.internal;

import io.meshd.gossip.internal.GossipMetrics.Drop;
import io.meshd.gossip.internal.Message.Ack;
import io.meshd.gossip.internal.Message.IndirectPing;
import io.meshd.gossip.internal.Message.Nack;
import io.meshd.gossip.internal.Message.Ping;
import java.util.Optional;

/**
 * The answering side of probing: acks pings meant for this member, and probes a target on behalf of another member
 * (an indirect ping), relaying the ack or, when the target stays silent for a probe timeout, a nack.
 */
final class PingResponder {

    private final ProtocolContext ctx;
    private final AckTracker acks;
    private final Awareness awareness;
    private final Dissemination dissemination;

    PingResponder(ProtocolContext ctx, AckTracker acks, Awareness awareness, Dissemination dissemination) {
        this.ctx = ctx;
        this.acks = acks;
        this.awareness = awareness;
        this.dissemination = dissemination;
    }

    /** A ping in a packet: ack it to its source (with piggybacked updates). */
    void onPing(Ping p) {
        if (forMe(p)) {
            dissemination.send(p.sourceAddress(), new Ack(p.seq()));
        }
    }

    /** A ping over a stream (the fallback probe): the ack to answer with, if it is meant for this member. */
    Optional<Message> onStreamPing(Ping p) {
        return forMe(p) ? Optional.of(new Ack(p.seq())) : Optional.empty();
    }

    /** Probes {@code req.target()} for its source; relays the ack, or a nack if asked and none came in time. */
    void onIndirectPing(IndirectPing req) {
        boolean[] acked = {false};
        long seq = acks.register(new AckTracker.Handler() {
            @Override
            public void onAck() {
                if (!acked[0]) {
                    acked[0] = true;
                    dissemination.send(req.sourceAddress(), new Ack(req.seq()));
                }
            }

            @Override
            public void onNack() {
            }
        });
        dissemination.send(req.targetAddress(), new Ping(seq, req.target(), ctx.self(), ctx.selfAddress()));
        ctx.scheduler().schedule(awareness.scale(ProtocolContext.nanos(ctx.cfg().probeTimeout())), () -> {
            acks.forget(seq);
            if (!acked[0] && req.wantNack() && ctx.ticker().running()) {
                dissemination.send(req.sourceAddress(), new Nack(req.seq()));
            }
        });
    }

    private boolean forMe(Ping p) {
        if (p.target().equals(ctx.self())) {
            return true;
        }
        ctx.metrics().drop(Drop.MISDIRECTED_PING, p.target(), null);
        return false;
    }
}
