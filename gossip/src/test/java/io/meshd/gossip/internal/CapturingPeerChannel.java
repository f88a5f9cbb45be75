package io.meshd.gossip.internal;

import io.meshd.gossip.spi.PeerChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Records what the protocol sends; stream requests fail at once (no peer answers). */
final class CapturingPeerChannel implements PeerChannel {

    /** One packet sent. */
    record Sent(InetSocketAddress to, byte[] frame) {
    }

    final List<Sent> sent = new ArrayList<>();
    final List<InetSocketAddress> requests = new ArrayList<>();
    private final InetSocketAddress local;

    CapturingPeerChannel(InetSocketAddress local) {
        this.local = local;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void start(Receiver receiver) {
    }

    @Override
    public void sendPacket(InetSocketAddress to, byte[] packet) {
        sent.add(new Sent(to, packet.clone()));
    }

    @Override
    public void request(InetSocketAddress to, byte[] request, long timeoutNanos, ResponseHandler handler) {
        requests.add(to);
        handler.onFailure("refused");
    }

    @Override
    public void close() {
    }
}
