package io.meshd.gossip.internal;

import io.meshd.gossip.MemberState;
import io.meshd.gossip.internal.Message.Ack;
import io.meshd.gossip.internal.Message.IndirectPing;
import io.meshd.gossip.internal.Message.Ping;
import io.meshd.gossip.internal.Message.Suspect;
import io.meshd.gossip.spi.Transport;
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

    private final Swim swim;
    private final List<MemberEntry> order = new ArrayList<>();
    private int next;

    Prober(Swim swim) {
        this.swim = swim;
    }

    /** A new member joins the round at a random position still ahead of the cursor. */
    void added(String name) {
        MemberEntry e = swim.members.get(name).orElse(null);
        if (e != null && !e.inProbeRound) {
            e.inProbeRound = true;
            int at = next + swim.random.nextInt(order.size() - next + 1);
            order.add(at, e);
        }
    }

    void tick() {
        swim.every("probe", swim.awareness.scale(Swim.nanos(swim.cfg.probeInterval())), this::tick);
        if (swim.members.selfEntry().state() == MemberState.LEFT) {
            return;
        }
        nextTarget().ifPresent(this::probe);
    }

    private Optional<MemberEntry> nextTarget() {
        for (int attempts = 0; attempts < 2; attempts++) {
            while (next < order.size()) {
                MemberEntry e = order.get(next++);
                // Skip entries forgotten since the round began (a rejoin gets a new entry).
                if (e.state().isLive() && swim.members.get(e.name()).orElse(null) == e) {
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
        for (MemberEntry e : swim.members.all()) {
            if (!e.name().equals(swim.name())) {
                order.add(e);
                e.inProbeRound = true;
            }
        }
        Collections.shuffle(order, swim.random);
        next = 0;
    }

    /** The state of one probe round. */
    private final class Round implements Swim.AckHandler {
        final MemberEntry target;
        final long incarnation;
        final long seq;
        boolean acked;
        int nacks;
        int expectedNacks;

        Round(MemberEntry target, long seq) {
            this.target = target;
            this.incarnation = target.incarnation();
            this.seq = seq;
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
        long seq = swim.nextSeq();
        Round round = new Round(target, seq);
        swim.registerAck(seq, round);
        List<byte[]> parts = new ArrayList<>(2);
        parts.add(MessageCodec.part(new Ping(seq, target.name(), swim.name(), swim.transport.localAddress())));
        if (target.state() == MemberState.SUSPECT) {
            parts.add(MessageCodec.part(new Suspect(target.name(), target.incarnation(), swim.name())));
        }
        swim.counters.inc("probes");
        swim.sendWithPiggyback(target.address(), parts);
        long interval = swim.awareness.scale(Swim.nanos(swim.cfg.probeInterval()));
        long timeout = swim.awareness.scale(Swim.nanos(swim.cfg.probeTimeout()));
        swim.scheduler.schedule(timeout, () -> {
            if (!round.acked && swim.running()) {
                indirect(round, interval - timeout);
            }
        });
        swim.scheduler.schedule(interval, () -> finish(round));
    }

    private void indirect(Round round, long remaining) {
        swim.counters.inc("probes.indirect");
        String target = round.target.name();
        List<MemberEntry> peers = swim.members.sample(swim.cfg.indirectChecks(),
            e -> e.state().isLive() && !e.name().equals(target), swim.random);
        round.expectedNacks = peers.size();
        IndirectPing req = new IndirectPing(round.seq, round.target.name(), round.target.address(), true,
            swim.name(), swim.transport.localAddress());
        byte[] part = MessageCodec.part(req);
        for (MemberEntry peer : peers) {
            swim.sendWithPiggyback(peer.address(), List.of(part));
        }
        if (swim.cfg.tcpFallbackProbe()) {
            Ping ping = new Ping(round.seq, round.target.name(), swim.name(), swim.transport.localAddress());
            swim.counters.inc("probes.stream");
            swim.transport.request(round.target.address(), swim.sealStream(ping), remaining,
                new Transport.ResponseHandler() {
                    @Override
                    public void onResponse(byte[] response) {
                        Optional<Message> m = swim.openStream(response, round.target.address());
                        if (m.isPresent() && m.get() instanceof Ack a && a.seq() == round.seq) {
                            round.acked = true;
                        }
                    }

                    @Override
                    public void onFailure(String reason) {
                        swim.counters.inc("probes.stream_failed");
                    }
                });
        }
    }

    private void finish(Round round) {
        swim.unregisterAck(round.seq);
        if (!swim.running()) {
            return;
        }
        if (round.acked) {
            swim.awareness.apply(-1);
            return;
        }
        // Lifeguard: every indirect prober that did not even nack hints that this node's own links are bad.
        int delta = round.expectedNacks > 0 ? Math.max(0, round.expectedNacks - round.nacks) : 1;
        swim.awareness.apply(delta);
        swim.counters.inc("probes.failed");
        Optional<MemberEntry> now = swim.members.get(round.target.name());
        if (now.isPresent() && now.get().state().isLive()) {
            swim.applySuspect(new Suspect(round.target.name(), round.incarnation, swim.name()));
        }
    }
}
