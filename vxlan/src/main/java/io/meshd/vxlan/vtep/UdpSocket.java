package io.meshd.vxlan.vtep;

import io.netty.channel.socket.DatagramChannel;

/** One UDP socket of a VTEP: the Netty channel that owns and reads it, and the direct sender on its descriptor. */
final class UdpSocket {

    private final DatagramChannel channel;
    private final DatagramSender sender;

    UdpSocket(DatagramChannel channel, DatagramSender sender) {
        this.channel = channel;
        this.sender = sender;
    }

    DatagramChannel channel() {
        return channel;
    }

    DatagramSender sender() {
        return sender;
    }
}
