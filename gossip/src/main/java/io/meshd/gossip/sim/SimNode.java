package io.meshd.gossip.sim;

import io.meshd.gossip.GossipConfig;
import io.meshd.gossip.GossipNode;
import io.meshd.gossip.spi.Scheduler;
import io.meshd.gossip.spi.PeerChannel;
import java.net.InetSocketAddress;
import java.util.Random;

/**
 * One simulated host: a stable name and address, and the member process currently running on it (replaced on
 * restart, gone after a crash). Slow hosts run every event late by a random delay; paused hosts run nothing until
 * the pause ends.
 */
public final class SimNode {

    private final SimNetwork net;
    private final String name;
    private final InetSocketAddress address;
    private final GossipConfig config;
    private final Random random;
    private GossipNode gossip;
    private PeerChannel.Receiver receiver;
    private int epoch;
    private boolean up;
    private long slowMaxNanos;
    private long pausedUntil;
    long packetsSent;
    long bytesSent;
    long streamsSent;
    long streamBytesSent;

    SimNode(SimNetwork net, String name, InetSocketAddress address, GossipConfig config, long seed) {
        this.net = net;
        this.name = name;
        this.address = address;
        this.config = config;
        this.random = new Random(seed);
    }

    /** The host's name (the member's identity). */
    public String name() {
        return name;
    }

    /** The host's address. */
    public InetSocketAddress address() {
        return address;
    }

    /** The member running now. */
    public GossipNode gossip() {
        if (gossip == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return gossip;
    }

    /** True while the member process runs. */
    public boolean up() {
        return up;
    }

    /** Packets this host sent. */
    public long packetsSent() {
        return packetsSent;
    }

    /** Bytes of packets this host sent. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Stream requests and responses this host sent. */
    public long streamsSent() {
        return streamsSent;
    }

    /** Bytes of streams this host sent. */
    public long streamBytesSent() {
        return streamBytesSent;
    }

    void start() {
        epoch++;
        up = true;
        NodeScheduler scheduler = new NodeScheduler(epoch);
        gossip = GossipNode.builder().config(config).channel(new SimPeerChannel(net, this, scheduler))
            .scheduler(scheduler).random(new Random(random.nextLong())).build();
        gossip.start();
    }

    void crash() {
        up = false;
        epoch++;
        receiver = null;
    }

    void slow(long maxExtraNanos) {
        slowMaxNanos = maxExtraNanos;
    }

    void pause(long untilNanos) {
        pausedUntil = Math.max(pausedUntil, untilNanos);
    }

    void bind(PeerChannel.Receiver r) {
        receiver = r;
    }

    PeerChannel.Receiver receiver() {
        return receiver;
    }

    int epoch() {
        return epoch;
    }

    /** Extra delay of this host's processing (0 unless slow). */
    long processingDelay() {
        return slowMaxNanos == 0 ? 0 : (long) (random.nextDouble() * slowMaxNanos);
    }

    /** Schedules {@code task} on this host if the current process is still {@code epoch} when it is due. */
    VirtualTime.Event run(long delay, int forEpoch, Runnable task) {
        VirtualTime time = net.time();
        return time.at(time.now() + delay + processingDelay(), () -> guarded(forEpoch, task));
    }

    private void guarded(int forEpoch, Runnable task) {
        if (forEpoch != epoch || !up) {
            return;
        }
        long now = net.time().now();
        if (pausedUntil > now) {
            net.time().at(pausedUntil, () -> guarded(forEpoch, task));
            return;
        }
        task.run();
    }

    /** The protocol thread of one process incarnation of this host. */
    final class NodeScheduler implements Scheduler {
        private final int myEpoch;

        NodeScheduler(int epoch) {
            this.myEpoch = epoch;
        }

        int epoch() {
            return myEpoch;
        }

        @Override
        public long nanoTime() {
            return net.time().now();
        }

        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            VirtualTime.Event e = run(delayNanos, myEpoch, task);
            return () -> e.cancelled = true;
        }

        @Override
        public void execute(Runnable task) {
            run(0, myEpoch, task);
        }

        @Override
        public boolean inLoop() {
            return true;
        }
    }
}
