package io.meshd.vxlan.vtep;

import io.meshd.shims.IoVectors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** Sends with NIO's {@link DatagramChannel#send}: no gathering, so every datagram is staged whole. */
final class NioDatagramSender implements DatagramSender {

    private final DatagramChannel channel;

    NioDatagramSender(DatagramChannel channel) {
        this.channel = channel;
    }

    @Override
    public boolean gathers() {
        return false;
    }

    @Override
    public int send(ByteBuffer staged, IoVectors pieces, int length, InetSocketAddress to) throws IOException {
        staged.clear().limit(length);
        return channel.send(staged, to);
    }
}
