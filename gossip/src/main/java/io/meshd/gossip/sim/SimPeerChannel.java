package io.meshd.gossip.sim;

import io.meshd.gossip.spi.PeerChannel;
import java.net.InetSocketAddress;

/** A member's view of the simulated network: packets and streams go through {@link SimNetwork}'s links. */
final class SimPeerChannel implements PeerChannel {

    private final SimNetwork net;
    private final SimNode node;
    private final SimNode.NodeScheduler scheduler;

    SimPeerChannel(SimNetwork net, SimNode node, SimNode.NodeScheduler scheduler) {
        this.net = net;
        this.node = node;
        this.scheduler = scheduler;
    }

    @Override
    public InetSocketAddress localAddress() {
        return node.address();
    }

    @Override
    public void start(Receiver receiver) {
        if (node.epoch() == scheduler.epoch()) {
            node.bind(receiver);
        }
    }

    @Override
    public void sendPacket(InetSocketAddress to, byte[] packet) {
        if (node.epoch() == scheduler.epoch()) {
            net.sendPacket(node, to, packet.clone());
        }
    }

    @Override
    public void request(InetSocketAddress to, byte[] request, long timeoutNanos, ResponseHandler handler) {
        if (node.epoch() == scheduler.epoch()) {
            net.request(node, scheduler.epoch(), to, request.clone(), timeoutNanos, handler);
        }
    }

    @Override
    public void close() {
        if (node.epoch() == scheduler.epoch()) {
            node.bind(null);
        }
    }
}
