package io.meshd.gossip.sim;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.spi.PeerChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A deterministic, seeded, virtual-time network for running the real protocol code: per-link loss and delay,
 * one-way and two-way partitions, slow and paused hosts, crashes and restarts. Packets are lost independently;
 * streams (TCP) are reliable but blocked by partitions and time out against a crashed host. Everything runs on the
 * caller's thread inside {@link #runFor} and friends, so the same seed replays the same run.
 */
public final class SimNetwork {

    private final VirtualTime time = new VirtualTime();
    private final Random random;
    private final Map<InetSocketAddress, SimNode> byAddress = new HashMap<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final Set<Long> blocked = new HashSet<>();
    private final Map<Long, Double> linkLoss = new HashMap<>();
    private final Map<Long, Long> linkDelay = new HashMap<>();
    private final Map<InetSocketAddress, Integer> index = new HashMap<>();
    private double loss;
    private long latencyNanos = Duration.ofMillis(1).toNanos();
    private long jitterNanos = Duration.ofMillis(1).toNanos();

    private SimNetwork(long seed) {
        this.random = new Random(seed);
    }

    /** An empty network whose every random choice derives from {@code seed}. */
    public static SimNetwork create(long seed) {
        return new SimNetwork(seed);
    }

    VirtualTime time() {
        return time;
    }

    /** Virtual time now, in nanoseconds since the start. */
    public long nanoTime() {
        return time.now();
    }

    /** Events executed so far. */
    public long eventsExecuted() {
        return time.executed();
    }

    /** Every host, in creation order. */
    public List<SimNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Sets the loss probability of every link without its own. */
    public SimNetwork loss(double p) {
        loss = p;
        return this;
    }

    /** One-way delay: {@code base} plus a uniform random {@code [0, jitter)}. */
    public SimNetwork latency(Duration base, Duration jitter) {
        latencyNanos = base.toNanos();
        jitterNanos = jitter.toNanos();
        return this;
    }

    /** Adds a host named {@code config.name()} at the next address (10.0.0.1, ...) and starts its member. */
    public SimNode addNode(GossipConfig config) {
        int i = nodes.size() + 1;
        InetSocketAddress addr;
        try {
            addr = new InetSocketAddress(InetAddress.getByAddress(
                new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), 7946);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        SimNode n = new SimNode(this, config.name(), addr, config, random.nextLong());
        index.put(addr, nodes.size());
        nodes.add(n);
        byAddress.put(addr, n);
        n.start();
        return n;
    }

    /** Runs virtual time forward by {@code d}. */
    public void runFor(Duration d) {
        time.runUntil(time.now() + d.toNanos());
    }

    /** Runs until {@code done} holds (checked every {@code step}) or {@code max} passed; returns whether it holds. */
    public boolean runUntil(BooleanSupplier done, Duration step, Duration max) {
        long end = time.now() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (time.now() >= end) {
                return false;
            }
            time.runUntil(Math.min(end, time.now() + step.toNanos()));
        }
        return true;
    }

    /** Schedules {@code task} at virtual time {@code atNanos} (for scenarios). */
    public void at(long atNanos, Runnable task) {
        time.at(atNanos, task);
    }

    private long link(SimNode a, SimNode b) {
        return ((long) index.get(a.address()) << 32) | index.get(b.address());
    }

    /** Blocks traffic both ways between every host of {@code a} and every host of {@code b}. */
    public void partition(Collection<SimNode> a, Collection<SimNode> b) {
        for (SimNode x : a) {
            for (SimNode y : b) {
                blocked.add(link(x, y));
                blocked.add(link(y, x));
            }
        }
    }

    /** Blocks traffic from {@code from} to {@code to} only. */
    public void partitionOneWay(SimNode from, SimNode to) {
        blocked.add(link(from, to));
    }

    /** Removes every partition. */
    public void heal() {
        blocked.clear();
    }

    /** Sets the loss probability from {@code from} to {@code to}. */
    public void linkLoss(SimNode from, SimNode to, double p) {
        linkLoss.put(link(from, to), p);
    }

    /** Sets the one-way delay from {@code from} to {@code to} (replacing the network-wide base latency). */
    public void linkDelay(SimNode from, SimNode to, Duration d) {
        linkDelay.put(link(from, to), d.toNanos());
    }

    /** Makes {@code n} slow: each of its events runs late by a uniform random delay up to {@code maxExtra}. */
    public void slow(SimNode n, Duration maxExtra) {
        n.slow(maxExtra.toNanos());
    }

    /** Freezes {@code n} for {@code d} (like a long GC pause or SIGSTOP); its events run when it resumes. */
    public void pause(SimNode n, Duration d) {
        n.pause(time.now() + d.toNanos());
    }

    /** Kills the member process on {@code n} at once (kill -9). */
    public void crash(SimNode n) {
        n.crash();
    }

    /** Starts a fresh member process on {@code n} with the same name and address; it knows nothing. */
    public void restart(SimNode n) {
        n.start();
    }

    private long delay(SimNode from, SimNode to) {
        long base = linkDelay.getOrDefault(link(from, to), latencyNanos);
        return base + (jitterNanos == 0 ? 0 : (long) (random.nextDouble() * jitterNanos));
    }

    /** Streams ride TCP, which hides partial loss; a link that loses everything blocks them too. */
    private boolean reachable(SimNode from, SimNode to) {
        long l = link(from, to);
        return !blocked.contains(l) && linkLoss.getOrDefault(l, loss) < 1.0;
    }

    void sendPacket(SimNode from, InetSocketAddress to, byte[] packet) {
        from.packetsSent++;
        from.bytesSent += packet.length;
        SimNode target = byAddress.get(to);
        if (target == null || !reachable(from, target)) {
            return;
        }
        double p = linkLoss.getOrDefault(link(from, target), loss);
        if (p > 0 && random.nextDouble() < p) {
            return;
        }
        InetSocketAddress src = from.address();
        time.at(time.now() + delay(from, target), () -> deliver(target, src, packet));
    }

    private void deliver(SimNode target, InetSocketAddress src, byte[] packet) {
        if (!target.up()) {
            return;
        }
        int epoch = target.epoch();
        target.run(0, epoch, () -> {
            PeerChannel.Receiver r = target.receiver();
            if (r != null) {
                r.onPacket(src, packet);
            }
        });
    }

    void request(SimNode from, int fromEpoch, InetSocketAddress to, byte[] request, long timeoutNanos,
                 PeerChannel.ResponseHandler handler) {
        from.streamsSent++;
        from.streamBytesSent += request.length;
        boolean[] finished = {false};
        VirtualTime.Event timeout = from.run(timeoutNanos, fromEpoch, () -> {
            if (!finished[0]) {
                finished[0] = true;
                handler.onFailure("timeout");
            }
        });
        SimNode target = byAddress.get(to);
        if (target == null || !reachable(from, target)) {
            return;
        }
        time.at(time.now() + delay(from, target), () -> {
            if (!target.up()) {
                return;
            }
            target.run(0, target.epoch(), () -> {
                PeerChannel.Receiver r = target.receiver();
                if (r == null) {
                    return;
                }
                byte[] response = r.onRequest(from.address(), request);
                if (response.length == 0 || !reachable(target, from)) {
                    return;
                }
                target.streamsSent++;
                target.streamBytesSent += response.length;
                time.at(time.now() + delay(target, from), () -> from.run(0, fromEpoch, () -> {
                    if (!finished[0]) {
                        finished[0] = true;
                        timeout.cancelled = true;
                        handler.onResponse(response);
                    }
                }));
            });
        });
    }
}
