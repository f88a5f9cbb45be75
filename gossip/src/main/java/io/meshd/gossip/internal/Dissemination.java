package io.meshd.gossip.internal;

import io.meshd.gossip.MemberState;
import io.meshd.gossip.internal.Message.TableUpdate;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Infection-style dissemination: membership changes and table updates wait in two {@link BroadcastQueue}s and ride
 * on every packet this member sends (pings, acks, indirect pings) and on gossip rounds to a few random members.
 * Each update is sent at most {@code RetransmitMult · ⌈log10(n+1)⌉} times.
 */
final class Dissemination {

    private final ProtocolContext ctx;
    private final MemberList members;
    private final BroadcastQueue memberBroadcasts = new BroadcastQueue();
    private final BroadcastQueue tableBroadcasts = new BroadcastQueue();

    Dissemination(ProtocolContext ctx, MemberList members) {
        this.ctx = ctx;
        this.members = members;
    }

    /** Starts the gossip rounds, the first at a random offset so members started together do not gossip in step. */
    void start() {
        long interval = ProtocolContext.nanos(ctx.cfg().gossipInterval());
        ctx.ticker().every("gossip", 1 + (long) (ctx.random().nextDouble() * interval), this::gossipTick);
    }

    /** Queues news about {@code node}, replacing older news about it still queued. */
    void member(String node, Message m) {
        memberBroadcasts.add(memberKey(node), MessageCodec.part(m));
    }

    /** Queues a table update, replacing an older one of the same key still queued. */
    void table(TableUpdate u) {
        tableBroadcasts.add("t:" + u.table() + '\u0000' + u.key(), MessageCodec.part(u));
    }

    /** True while news about {@code node} still waits to be sent its full number of times. */
    boolean pending(String node) {
        return memberBroadcasts.contains(memberKey(node));
    }

    /** Forgets everything queued. */
    void clear() {
        memberBroadcasts.clear();
        tableBroadcasts.clear();
    }

    /**
     * Sends {@code parts} in one packet, filling the rest of it with queued updates: membership may take half the
     * room while table updates wait, table updates the rest, then membership what is left, so neither kind can
     * starve the other.
     */
    void send(InetSocketAddress to, List<byte[]> parts) {
        List<byte[]> out = new ArrayList<>(parts);
        int budget = ctx.wire().packetBudget();
        for (byte[] p : parts) {
            budget -= p.length + MessageCodec.PART_OVERHEAD;
        }
        fill(out, budget);
        ctx.wire().sendPacket(to, out);
    }

    /** Sends one message with piggybacked updates. */
    void send(InetSocketAddress to, Message m) {
        send(to, List.of(MessageCodec.part(m)));
    }

    private void fill(List<byte[]> out, int budget) {
        int limit = BroadcastQueue.retransmitLimit(ctx.cfg().retransmitMult(), members.liveCount());
        int max = MessageCodec.MAX_PARTS;
        int oh = MessageCodec.PART_OVERHEAD;
        int used = 0;
        if (tableBroadcasts.size() > 0) {
            used += memberBroadcasts.drainInto(out, budget / 2, oh, max, limit);
            used += tableBroadcasts.drainInto(out, budget - used, oh, max, limit);
        }
        memberBroadcasts.drainInto(out, budget - used, oh, max, limit);
    }

    private void gossipTick() {
        if (!ctx.ticker().running()) {
            return;
        }
        ctx.ticker().every("gossip", ProtocolContext.nanos(ctx.cfg().gossipInterval()), this::gossipTick);
        if (memberBroadcasts.size() == 0 && tableBroadcasts.size() == 0) {
            return;
        }
        long now = ctx.now();
        long toTheDead = ProtocolContext.nanos(ctx.cfg().gossipToTheDeadTime());
        // Recently dead members get gossip too, so they can learn that they were declared dead and refute.
        List<MemberEntry> targets = members.sample(ctx.cfg().gossipNodes(), e -> e.state.isLive()
            || (e.state == MemberState.DEAD && now - e.stateChangeNanos < toTheDead), ctx.random());
        int budget = ctx.wire().packetBudget();
        for (MemberEntry target : targets) {
            List<byte[]> out = new ArrayList<>();
            fill(out, budget);
            if (out.isEmpty()) {
                break;
            }
            ctx.wire().sendPacket(target.address, out);
        }
    }

    private static String memberKey(String node) {
        return "m:" + node;
    }
}
