package io.meshd.gossip.internal;

import io.meshd.gossip.MemberState;
import io.meshd.gossip.internal.GossipMetrics.Event;
import io.meshd.gossip.internal.Message.Ack;
import io.meshd.gossip.internal.Message.IndirectPing;
import io.meshd.gossip.internal.Message.Ping;
import io.meshd.gossip.internal.Message.Suspect;
import io.meshd.gossip.spi.PeerChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * SWIM's failure detector with Lifeguard's refinements. Once per (health-scaled) probe interval it takes the next
 * member of a shuffled round-robin list and pings it, with a suspicion of it piggybacked if it is suspect (the buddy
 * system, so a suspect hears about it at once). No ack within the (scaled) timeout: k other members probe it
 * indirectly and nack if they fail too, and a stream ping tries TCP. Still nothing at the end of the interval: the
 * member is suspected, and missing nacks raise this node's own health score (it may be the slow one).
 */
final class Prober {

    private final ProtocolContext ctx;
    private final MemberList members;
    private final Membership membership;
    private final Awareness awareness;
    private final AckTracker acks;
    private final Dissemination dissemination;
    private final List<MemberEntry> order = new ArrayList<>();
    private int next;

    Prober(ProtocolContext ctx, MemberList members, Membership membership, Awareness awareness, AckTracker acks,
           Dissemination dissemination) {
        this.ctx = ctx;
        this.members = members;
        this.membership = membership;
        this.awareness = awareness;
        this.acks = acks;
        this.dissemination = dissemination;
        membership.onAlive(this::added);
    }

    /** Starts probing, the first probe at a random offset so members started together do not probe in lock step. */
    void start() {
        long interval = ProtocolContext.nanos(ctx.cfg().probeInterval());
        ctx.ticker().every("probe", 1 + (long) (ctx.random().nextDouble() * interval), this::tick);
    }

    /** A new member joins the round at a random position still ahead of the cursor. */
    private void added(String name) {
        MemberEntry e = members.get(name).orElse(null);
        if (e != null && !e.inProbeRound) {
            e.inProbeRound = true;
            int at = next + ctx.random().nextInt(order.size() - next + 1);
            order.add(at, e);
        }
    }

    private void tick() {
        ctx.ticker().every("probe", awareness.scale(ProtocolContext.nanos(ctx.cfg().probeInterval())), this::tick);
        if (members.selfEntry().state() == MemberState.LEFT) {
            return;
        }
        nextTarget().ifPresent(this::probe);
    }

    private Optional<MemberEntry> nextTarget() {
        for (int attempts = 0; attempts < 2; attempts++) {
            while (next < order.size()) {
                MemberEntry e = order.get(next++);
                // Skip entries forgotten since the round began (a rejoin gets a new entry).
                if (e.state().isLive() && members.get(e.name()).orElse(null) == e) {
                    return Optional.of(e);
                }
            }
            reshuffle();
        }
        return Optional.empty();
    }

    private void reshuffle() {
        for (MemberEntry e : order) {
            e.inProbeRound = false;
        }
        order.clear();
        for (MemberEntry e : members.all()) {
            if (!e.name().equals(ctx.self())) {
                order.add(e);
                e.inProbeRound = true;
            }
        }
        Collections.shuffle(order, ctx.random());
        next = 0;
    }

    /** The state of one probe round. */
    private static final class Round implements AckTracker.Handler {
        final MemberEntry target;
        final long incarnation;
        long seq;
        boolean acked;
        int nacks;
        int expectedNacks;

        Round(MemberEntry target) {
            this.target = target;
            this.incarnation = target.incarnation();
        }

        @Override
        public void onAck() {
            acked = true;
        }

        @Override
        public void onNack() {
            nacks++;
        }
    }

    private void probe(MemberEntry target) {
        Round round = new Round(target);
        round.seq = acks.register(round);
        List<byte[]> parts = new ArrayList<>(2);
        parts.add(MessageCodec.part(new Ping(round.seq, target.name(), ctx.self(), ctx.selfAddress())));
        if (target.state() == MemberState.SUSPECT) {
            parts.add(MessageCodec.part(new Suspect(target.name(), target.incarnation(), ctx.self())));
        }
        ctx.metrics().count(Event.PROBE);
        dissemination.send(target.address(), parts);
        long interval = awareness.scale(ProtocolContext.nanos(ctx.cfg().probeInterval()));
        long timeout = awareness.scale(ProtocolContext.nanos(ctx.cfg().probeTimeout()));
        ctx.scheduler().schedule(timeout, () -> {
            if (!round.acked && ctx.ticker().running()) {
                indirect(round, interval - timeout);
            }
        });
        ctx.scheduler().schedule(interval, () -> finish(round));
    }

    private void indirect(Round round, long remaining) {
        ctx.metrics().count(Event.INDIRECT_PROBE);
        String target = round.target.name();
        List<MemberEntry> peers = members.sample(ctx.cfg().indirectChecks(),
            e -> e.state().isLive() && !e.name().equals(target), ctx.random());
        round.expectedNacks = peers.size();
        IndirectPing req = new IndirectPing(round.seq, target, round.target.address(), true, ctx.self(),
            ctx.selfAddress());
        byte[] part = MessageCodec.part(req);
        for (MemberEntry peer : peers) {
            dissemination.send(peer.address(), List.of(part));
        }
        if (ctx.cfg().tcpFallbackProbe()) {
            streamProbe(round, remaining);
        }
    }

    private void streamProbe(Round round, long remaining) {
        ctx.metrics().count(Event.STREAM_PROBE);
        Ping ping = new Ping(round.seq, round.target.name(), ctx.self(), ctx.selfAddress());
        ctx.wire().request(round.target.address(), ping, remaining, new PeerChannel.ResponseHandler() {
            @Override
            public void onResponse(byte[] response) {
                Optional<Message> m = ctx.wire().openStream(response, round.target.address());
                if (m.isPresent() && m.get() instanceof Ack a && a.seq() == round.seq) {
                    round.acked = true;
                }
            }

            @Override
            public void onFailure(String reason) {
                ctx.metrics().count(Event.STREAM_PROBE_FAILURE);
            }
        });
    }

    private void finish(Round round) {
        acks.forget(round.seq);
        if (!ctx.ticker().running()) {
            return;
        }
        if (round.acked) {
            awareness.apply(-1);
            return;
        }
        // Lifeguard: every indirect prober that did not even nack hints that this node's own links are bad.
        int delta = round.expectedNacks > 0 ? Math.max(0, round.expectedNacks - round.nacks) : 1;
        awareness.apply(delta);
        ctx.metrics().count(Event.FAILED_PROBE);
        Optional<MemberEntry> now = members.get(round.target.name());
        if (now.isPresent() && now.get().state().isLive()) {
            membership.suspect(new Suspect(round.target.name(), round.incarnation, ctx.self()));
        }
    }
}
